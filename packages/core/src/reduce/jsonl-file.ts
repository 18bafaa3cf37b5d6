import fs from 'node:fs';

/**
 * A JSONL file written by appending whole lines: lines are collected and written as one write() per flush, so a
 * reader (or a crash) only ever sees whole lines, and memory holds at most one batch.
 */
export class JsonlFile {
  private readonly fd: number;
  private pending: string[] = [];
  private closed = false;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'a');
  }

  get pendingLines(): number {
    return this.pending.length;
  }

  push(line: string): void {
    this.pending.push(line);
  }

  pushAll(lines: readonly string[]): void {
    for (const line of lines) this.pending.push(line);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(`${this.pending.join('\n')}\n`, 'utf8');
    this.pending = [];
    let offset = 0;
    // A regular file takes the whole buffer at once; the loop only matters when the disk fills up mid-write.
    while (offset < bytes.length) offset += fs.writeSync(this.fd, bytes, offset, bytes.length - offset);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}
