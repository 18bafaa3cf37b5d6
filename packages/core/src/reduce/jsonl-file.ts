import fs from 'node:fs';

/** First size of a file's write buffer; it grows to hold a batch and is kept while it stays at most KEPT_BYTES. */
const INITIAL_BYTES = 64 * 1024;
const KEPT_BYTES = 4 * 1024 * 1024;

/**
 * A JSONL file written by appending whole lines: each line is encoded into the file's write buffer as it is
 * pushed, and the buffer is written as one write() per flush, so a reader (or a crash) only ever sees whole lines,
 * and memory holds at most one batch. Encoding at once (rather than keeping the strings until the flush and
 * joining them) lets each line's string die young: kept strings outlived the young generation and filled the old
 * one, and the joined batches were large objects that only a full GC frees.
 */
export class JsonlFile {
  private readonly fd: number;
  private buffer: Buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private used = 0;
  private lines = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'a');
  }

  get pendingLines(): number {
    return this.lines;
  }

  push(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; one more for the newline.
    const most = this.used + line.length * 3 + 1;
    if (most > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(most, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    this.used += this.buffer.write(line, this.used, 'utf8');
    this.buffer[this.used++] = 0x0a;
    this.lines++;
  }

  pushAll(lines: readonly string[]): void {
    for (const line of lines) this.push(line);
  }

  flush(): void {
    if (this.lines === 0) return;
    const bytes = this.buffer;
    const length = this.used;
    this.used = 0;
    this.lines = 0;
    if (bytes.length > KEPT_BYTES) this.buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
    let offset = 0;
    // A regular file takes the whole buffer at once; the loop only matters when the disk fills up mid-write.
    while (offset < length) offset += fs.writeSync(this.fd, bytes, offset, length - offset);
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
