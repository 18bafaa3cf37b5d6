import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlFile } from '../../src/reduce/jsonl-file.js';
import { tempProject } from '../helpers/project.js';

const fileIn = () => path.join(tempProject({}), 'out.jsonl');

describe('JsonlFile', () => {
  it('writes pushed lines on flush, each followed by a newline, UTF-8 encoded', () => {
    const file = fileIn();
    const out = new JsonlFile(file);
    const lines = [
      '{"a":"plain"}',
      '{"b":"café, naïve"}',
      '{"c":"emoji 🙂 and 漢字"}',
      '{"d":"lone \ud800 surrogate"}',
    ];
    out.push(lines[0]!);
    out.pushAll(lines.slice(1));
    expect(out.pendingLines).toBe(4);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    out.flush();
    expect(out.pendingLines).toBe(0);
    expect(fs.readFileSync(file)).toEqual(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    out.flush();
    out.close();
    expect(fs.readFileSync(file)).toEqual(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
  });

  it('keeps every line whole and in order across batches larger than its buffer, and after a huge line', () => {
    const file = fileIn();
    const out = new JsonlFile(file);
    const expected: string[] = [];
    for (let batch = 0; batch < 3; batch++) {
      const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ batch, i, text: 'é'.repeat(i % 300) }));
      if (batch === 1) lines.push(JSON.stringify({ huge: 'x'.repeat(5 * 1024 * 1024) }));
      out.pushAll(lines);
      out.flush();
      expected.push(...lines);
    }
    out.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(`${expected.join('\n')}\n`);
  });

  it('appends to a file that already holds lines', () => {
    const file = fileIn();
    fs.writeFileSync(file, '{"before":1}\n');
    const out = new JsonlFile(file);
    out.push('{"after":2}');
    out.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"before":1}\n{"after":2}\n');
  });
});
