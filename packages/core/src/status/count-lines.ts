import fs from 'node:fs';

const NEWLINE = 0x0a;

/**
 * Lines in a file, counted from a stream in fixed-size chunks so that memory stays flat however large the file
 * is (recordings and trace summaries grow without bound). A last line without a newline counts.
 */
export async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = NEWLINE;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return last === NEWLINE ? lines : lines + 1;
}
