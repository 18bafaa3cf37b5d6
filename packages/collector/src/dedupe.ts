import fs from 'node:fs';
import path from 'node:path';

/** A set that remembers the most recent `capacity` keys (insertion order); older ones are forgotten. */
export class RecentSet {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.keys.has(key)) return;
    if (this.keys.size >= this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    this.keys.add(key);
  }

  get size(): number {
    return this.keys.size;
  }

  /** Oldest first. */
  values(): IterableIterator<string> {
    return this.keys.values();
  }
}

/**
 * The batch ids already stored, kept across restarts: HTTP storage re-sends a spooled batch with the same
 * batch_id after the collector comes back, possibly one it had stored just before it went down. An id is
 * journaled after its records are written (a crash in between means the batch may be stored again on re-send,
 * never lost). The journal is compacted to the recent window when it grows past twice its size.
 */
export class BatchJournal {
  private readonly recent: RecentSet;
  private readonly file: string;
  private lines = 0;

  constructor(
    dir: string,
    private readonly capacity: number,
  ) {
    this.recent = new RecentSet(capacity);
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'batches.log');
    if (fs.existsSync(this.file)) {
      for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
        const id = parseLine(line);
        if (id !== undefined) {
          this.recent.add(id);
          this.lines++;
        }
      }
    }
  }

  has(batchId: string): boolean {
    return this.recent.has(batchId);
  }

  add(batchId: string): void {
    this.recent.add(batchId);
    // JSON string per line: an id may hold any character, a line break included.
    fs.appendFileSync(this.file, `${JSON.stringify(batchId)}\n`);
    if (++this.lines > this.capacity * 2) this.compact();
  }

  private compact(): void {
    const ids = [...this.recent.values()];
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, ids.map((id) => `${JSON.stringify(id)}\n`).join(''));
    fs.renameSync(tmp, this.file);
    this.lines = ids.length;
  }
}

/** A journal line: a JSON string; a line that is not one (a torn last line after a crash) is skipped. */
function parseLine(line: string): string | undefined {
  if (!line) return undefined;
  try {
    const id = JSON.parse(line);
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
