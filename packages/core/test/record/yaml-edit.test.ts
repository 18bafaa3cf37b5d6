import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../../src/errors.js';
import { setYamlValue } from '../../src/record/yaml-edit.js';

const FILE = 'configs/simulation.yaml';
const enable = (text: string) => setYamlValue(text, FILE, ['replay_args', 'enabled'], true, 'first');

const SCAFFOLD = `# How fluxloop run experiment drives the agent.

iterations: 1  # per input
runner:
  target: ./agent.ts:run
  # http:
  #   url: http://127.0.0.1:3000/chat
# Replay arguments recorded with fluxloop record enable.
replay_args:
  enabled: false
  recording_file: 'recordings/args_recording.jsonl'
  # override_param_path: args.0
`;

// [case, simulation.yaml before, after setting replay_args.enabled: true]
const cases: [string, string, string][] = [
  [
    'value replaced in place: comments, order, quotes, blank lines kept',
    SCAFFOLD,
    SCAFFOLD.replace('enabled: false', 'enabled: true'),
  ],
  [
    'trailing comment on the value kept',
    'replay_args:\n  enabled: false # off\n',
    'replay_args:\n  enabled: true # off\n',
  ],
  [
    'CRLF',
    'runner:\r\n  target: x\r\nreplay_args:\r\n  enabled: false\r\n',
    'runner:\r\n  target: x\r\nreplay_args:\r\n  enabled: true\r\n',
  ],
  ['tag kept', 'replay_args:\n  enabled: !!bool false\n', 'replay_args:\n  enabled: !!bool true\n'],
  ['empty value', 'replay_args:\n  enabled:\n  function: f\n', 'replay_args:\n  enabled: true\n  function: f\n'],
  [
    'enabled missing: first key, indented like its siblings, before their comments',
    'replay_args:\n    # the file\n    recording_file: r.jsonl\n',
    'replay_args:\n    enabled: true\n    # the file\n    recording_file: r.jsonl\n',
  ],
  [
    'enabled missing, CRLF',
    'replay_args:\r\n  recording_file: r.jsonl\r\n',
    'replay_args:\r\n  enabled: true\r\n  recording_file: r.jsonl\r\n',
  ],
  [
    "replay_args missing: appended after the last key and its comments, with the file's indentation",
    'runner:\n    target: x\n    # http: ...\n\n# end\n',
    'runner:\n    target: x\n    # http: ...\nreplay_args:\n    enabled: true\n\n# end\n',
  ],
  [
    'replay_args missing, no final newline',
    'runner:\n  target: x',
    'runner:\n  target: x\nreplay_args:\n  enabled: true',
  ],
  [
    'replay_args empty',
    'replay_args:\nrunner:\n  target: x\n',
    'replay_args:\n  enabled: true\nrunner:\n  target: x\n',
  ],
  ['replay_args empty with a comment', 'replay_args: # later\n', 'replay_args: # later\n  enabled: true\n'],
  ['replay_args: ~ with a comment', 'replay_args: ~ # later\n', 'replay_args: # later\n  enabled: true\n'],
  ['replay_args: null', 'replay_args: null\n', 'replay_args:\n  enabled: true\n'],
  ['empty file', '', 'replay_args:\n  enabled: true\n'],
  ['comments only', '# nothing yet\n', '# nothing yet\nreplay_args:\n  enabled: true\n'],
  [
    'flow map, value there: replaced in place',
    'replay_args: {enabled: false, function: f}\n',
    'replay_args: {enabled: true, function: f}\n',
  ],
  [
    'flow map, key missing: an entry before the closing brace, its spacing kept',
    '# c\nrunner: {target: x}\nreplay_args: { recording_file: r.jsonl }  # flow\n',
    '# c\nrunner: {target: x}\nreplay_args: { recording_file: r.jsonl, enabled: true }  # flow\n',
  ],
  [
    'multi-line flow map with a trailing comma',
    'replay_args: {\n  recording_file: r.jsonl,\n}\n',
    'replay_args: {\n  recording_file: r.jsonl, enabled: true\n}\n',
  ],
  [
    'a byte order mark, replay_args missing',
    '\uFEFFrunner:\n  target: x\n',
    '\uFEFFrunner:\n  target: x\nreplay_args:\n  enabled: true\n',
  ],
  ['flow root', '{runner: {target: x}}\n', '{runner: {target: x}, replay_args: {enabled: true}}\n'],
  [
    'flow map with a comment inside: rewritten by the yaml library',
    'runner: {target: x}\nreplay_args: {\n  recording_file: r.jsonl # the file\n}\n',
    'runner: {target: x}\nreplay_args:\n  {\n    recording_file: r.jsonl, # the file\n    enabled: true\n  }\n',
  ],
];

describe('setYamlValue', () => {
  it.each(cases)('%s', (_name, before, after) => {
    const edit = enable(before);
    expect(edit.text).toBe(after);
    expect(edit.changed).toBe(true);
    expect(parse(edit.text).replay_args.enabled).toBe(true);
    expect(enable(edit.text)).toEqual({ text: after, changed: false, previous: true });
  });

  it('a missing key goes last, below the comment lines of the mapping', () => {
    const edit = setYamlValue(SCAFFOLD, FILE, ['replay_args', 'override_param_path'], 'kwargs.message', 'last');
    expect(edit.text).toBe(`${SCAFFOLD}  override_param_path: kwargs.message\n`);
    expect(edit.previous).toBeUndefined();
  });

  it('strings keep the quotes of the old value, and are quoted only when plain would not read back', () => {
    const set = (text: string, value: string) =>
      setYamlValue(text, FILE, ['replay_args', 'recording_file'], value, 'last').text;
    expect(set(SCAFFOLD, 'recordings/b.jsonl')).toBe(
      SCAFFOLD.replace("'recordings/args_recording.jsonl'", "'recordings/b.jsonl'"),
    );
    expect(set('replay_args:\n  recording_file: "a"\n', "b's")).toBe('replay_args:\n  recording_file: "b\'s"\n');
    expect(set('replay_args:\n  recording_file: a\n', 'b.jsonl')).toBe('replay_args:\n  recording_file: b.jsonl\n');
    expect(set('replay_args:\n  recording_file: a\n', 'true')).toBe('replay_args:\n  recording_file: "true"\n');
    expect(set('replay_args:\n  recording_file: a\n', 'r #1.jsonl')).toBe(
      'replay_args:\n  recording_file: "r #1.jsonl"\n',
    );
    expect(set('replay_args: {recording_file: a}\n', 'a,b')).toBe('replay_args: {recording_file: "a,b"}\n');
  });

  it('invalid YAML is an error naming file:line, with nothing returned', () => {
    let error: unknown;
    try {
      enable('runner:\n  target: x\nreplay_args: [1\n');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^cannot edit configs\/simulation\.yaml: it is not valid YAML, so nothing was written:\n {2}configs\/simulation\.yaml:4:1: YAML syntax: /,
    );
    expect(() => enable('replay_args:\n  enabled: false\n  enabled: true\n')).toThrow(/:3:3: YAML duplicate key/);
  });

  it('replay_args that is not a mapping, or a file that is not one, is an error', () => {
    expect(() => enable('replay_args: yes\n')).toThrow(
      /configs\/simulation\.yaml:1:14: replay_args: must be a mapping/,
    );
    expect(() => enable('- a\n')).toThrow(/configs\/simulation\.yaml:1:1: must be a mapping of keys/);
  });

  it('an edit that would change another value (an anchored scalar used elsewhere) is refused', () => {
    expect(() => enable('replay_args:\n  enabled: &off false\nother: *off\n')).toThrow(/by hand/);
    // replay_args itself an alias: a UserError saying what to do, not an internal error.
    expect(() => enable('base: &b\n  enabled: false\nreplay_args: *b\n')).toThrow(
      /set enabled: true under replay_args by hand/,
    );
  });
});
