import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countLines } from '../../src/index.js';
import { tempDir } from '../init/scaffold-helpers.js';

function file(content: string | Buffer): string {
  const target = path.join(tempDir(), 'f.jsonl');
  fs.writeFileSync(target, content);
  return target;
}

describe('countLines', () => {
  const cases: [string, string, number][] = [
    ['an empty file', '', 0],
    ['one line with a newline', 'a\n', 1],
    ['one line without a newline', 'a', 1],
    ['a last line without a newline', 'a\nb\nc', 3],
    ['blank lines', '\n\n\n', 3],
    ['CRLF line ends', 'a\r\nb\r\n', 2],
  ];
  for (const [what, content, lines] of cases) {
    it(`${what}: ${lines}`, async () => {
      expect(await countLines(file(content))).toBe(lines);
    });
  }

  it('a file much larger than one read chunk, newlines falling on chunk edges', async () => {
    const line = `${'x'.repeat(127)}\n`; // 128 bytes: a 64 KiB chunk ends exactly on a newline
    const lines = 50_000;
    expect(await countLines(file(Buffer.from(line.repeat(lines))))).toBe(lines);
    expect(await countLines(file(Buffer.from(`${line.repeat(lines)}tail`)))).toBe(lines + 1);
  });
});
