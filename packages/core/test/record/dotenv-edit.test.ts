import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatDotenvValue, setDotenvValue } from '../../src/record/dotenv-edit.js';

const KEY = 'FLUXLOOP_RECORD_ARGS';
const meansTrue = (v: string) => ['true', '1', 'yes'].includes(v.trim().toLowerCase());

// [case, .env before, .env after setting FLUXLOOP_RECORD_ARGS=true]
const cases: [string, string, string][] = [
  ['empty file', '', 'FLUXLOOP_RECORD_ARGS=true\n'],
  ['missing key: appended', 'A=1\n# note\n', 'A=1\n# note\nFLUXLOOP_RECORD_ARGS=true\n'],
  ['no final newline stays without one', 'A=1', 'A=1\nFLUXLOOP_RECORD_ARGS=true'],
  ['CRLF file: appended with CRLF', 'A=1\r\nB=2\r\n', 'A=1\r\nB=2\r\nFLUXLOOP_RECORD_ARGS=true\r\n'],
  [
    'CRLF file: replaced in place',
    'A=1\r\nFLUXLOOP_RECORD_ARGS=false\r\nB=2',
    'A=1\r\nFLUXLOOP_RECORD_ARGS=true\r\nB=2',
  ],
  [
    'export prefix and trailing comment kept',
    '# top\nexport FLUXLOOP_RECORD_ARGS=false   # off for now\n\nexport B="x y"\n',
    '# top\nexport FLUXLOOP_RECORD_ARGS=true   # off for now\n\nexport B="x y"\n',
  ],
  ['quotes of the edited value kept', "FLUXLOOP_RECORD_ARGS='false'\n", "FLUXLOOP_RECORD_ARGS='true'\n"],
  ['spaces around = kept', 'FLUXLOOP_RECORD_ARGS = false\n', 'FLUXLOOP_RECORD_ARGS = true\n'],
  ['empty value', 'FLUXLOOP_RECORD_ARGS=\nA=1\n', 'FLUXLOOP_RECORD_ARGS=true\nA=1\n'],
  [
    'duplicates: the last one (the one that counts) is replaced',
    'FLUXLOOP_RECORD_ARGS=false\nA=1\nFLUXLOOP_RECORD_ARGS=no # again\n',
    'FLUXLOOP_RECORD_ARGS=false\nA=1\nFLUXLOOP_RECORD_ARGS=true # again\n',
  ],
  [
    'commented-out placeholder: the line goes below it',
    '# Record arguments.\n# FLUXLOOP_RECORD_ARGS=false\n\n# Token\n# T=\n',
    '# Record arguments.\n# FLUXLOOP_RECORD_ARGS=false\nFLUXLOOP_RECORD_ARGS=true\n\n# Token\n# T=\n',
  ],
  [
    'a line inside another multi-line value is not an assignment',
    'M="a\nFLUXLOOP_RECORD_ARGS=false\nb"\n',
    'M="a\nFLUXLOOP_RECORD_ARGS=false\nb"\nFLUXLOOP_RECORD_ARGS=true\n',
  ],
  [
    'a last comment line with "=" and no final newline (Node 20 reads it as a key)',
    'OTHER=1\n# note = x',
    'OTHER=1\n# note = x\nFLUXLOOP_RECORD_ARGS=true',
  ],
  [
    'a longer key with the same start is another key',
    'FLUXLOOP_RECORD_ARGS_X=1\n',
    'FLUXLOOP_RECORD_ARGS_X=1\nFLUXLOOP_RECORD_ARGS=true\n',
  ],
];

describe('setDotenvValue', () => {
  it.each(cases)('%s', (_name, before, after) => {
    const edit = setDotenvValue(before, KEY, 'true', { same: meansTrue });
    expect(edit.text).toBe(after);
    expect(edit.changed).toBe(true);
    expect(parseEnv(edit.text)[KEY]).toBe('true');
    // Idempotent: a second run leaves the bytes as they are.
    const again = setDotenvValue(edit.text, KEY, 'true', { same: meansTrue });
    expect(again).toMatchObject({ text: after, changed: false, action: 'unchanged' });
  });

  it('reports what it did: the previous value, the action and the line', () => {
    expect(setDotenvValue('A=1\nFLUXLOOP_RECORD_ARGS=0\n', KEY, 'true')).toMatchObject({
      previous: '0',
      action: 'replaced',
      line: 2,
    });
    expect(setDotenvValue('A=1\n', KEY, 'true')).toMatchObject({ previous: null, action: 'appended', line: 2 });
  });

  it('a value that already means the same is left as it is', () => {
    for (const text of ['FLUXLOOP_RECORD_ARGS=1\n', 'FLUXLOOP_RECORD_ARGS=YES # on\n']) {
      expect(setDotenvValue(text, KEY, 'true', { same: meansTrue })).toMatchObject({ text, changed: false });
    }
  });

  it('string values are quoted only when they need it, and read back as written', () => {
    const cases = ['recordings/a.jsonl', 'my recordings/a #1.jsonl', "it's here.jsonl", 'C:\\rec\\new.jsonl'];
    for (const value of cases) {
      const edit = setDotenvValue('A=1\n', 'FLUXLOOP_RECORDING_FILE', value);
      expect(parseEnv(edit.text)).toEqual({ A: '1', FLUXLOOP_RECORDING_FILE: value });
    }
    expect(formatDotenvValue('recordings/a.jsonl')).toBe('recordings/a.jsonl');
    expect(formatDotenvValue('a b')).toBe("'a b'");
  });
});
