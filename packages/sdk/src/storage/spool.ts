import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/**
 * The on-disk spool of HTTP storage: one JSON line per undelivered batch (its full request body, so the
 * batch keeps its batch_id), in files shared by every process that points at the same directory.
 *
 * File names carry the protocol between processes:
 * - `spool-<pid>-<start>-<rand>.jsonl`: waiting to be sent; anyone may claim it.
 * - `<spool name>.sending-<pid>-<n>`: claimed by process <pid>; reclaimed by others once <pid> is dead.
 * - `writeback-<pid>-<n>.part`: the unsent rest of a claimed file being copied out; renamed to a spool name
 *   when complete, deleted once <pid> is dead (the claimed file it came from still holds its lines).
 * - `rejected-<pid>-<start>.jsonl`: dead letters, never re-sent.
 *
 * A claim is a rename, which is atomic: of two processes racing for a file, exactly one gets it.
 */
const SPOOL_RE = /^spool-.+\.jsonl$/;
const CLAIMED_RE = /^(spool-.+\.jsonl)\.sending-(\d+)-[0-9a-z]+$/;
const PART_RE = /^writeback-(\d+)-[0-9a-z]+\.part$/;

export class Spool {
  readonly dir: string;
  /** This instance's own spool file. Several instances (threads) of one process each get their own. */
  readonly file: string;
  readonly deadLetterFile: string;
  private counter = 0;
  private dirReady = false;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
    const start = Date.now();
    this.file = path.join(this.dir, `spool-${process.pid}-${start}-${suffix()}.jsonl`);
    this.deadLetterFile = path.join(this.dir, `rejected-${process.pid}-${start}.jsonl`);
  }

  /**
   * Appends one batch body as a line. A single synchronous append per batch: the kernel applies an O_APPEND
   * write whole, so neither a concurrent claimer nor a crash can leave half a line. The path is reopened on
   * every call on purpose: once another process has renamed (claimed) the file, the next batch must start
   * a new file instead of landing in one that is already being read. Throws on I/O errors.
   */
  append(line: string): void {
    this.appendLine(this.file, line);
  }

  /** Writes a batch the collector refused to the dead-letter file; returns that file. Throws on I/O errors. */
  deadLetter(body: string, status: number, response: string): string {
    // The body goes in as a string: a line from a damaged spool file may not be valid JSON, and the
    // dead-letter line must stay parseable either way. JSON.parse(entry.body) gives the batch back.
    const entry = JSON.stringify({ rejected_at: new Date().toISOString(), status, response, body });
    this.appendLine(this.deadLetterFile, entry);
    return this.deadLetterFile;
  }

  /**
   * Claims the oldest waiting file (an unclaimed spool file, or one claimed by a process that has died)
   * and returns its new path; undefined when nothing is waiting. Throws on I/O errors other than a lost race.
   */
  claimNext(): string | undefined {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if (isCode(err, 'ENOENT')) return undefined;
      throw err;
    }
    const candidates: { name: string; base: string; mtime: number }[] = [];
    for (const name of names) {
      let base: string | undefined;
      if (SPOOL_RE.test(name)) base = name;
      else {
        const claimed = CLAIMED_RE.exec(name);
        if (claimed && !isAlive(Number(claimed[2]))) base = claimed[1];
        const part = PART_RE.exec(name);
        if (part && !isAlive(Number(part[1]))) removeQuietly(path.join(this.dir, name));
      }
      if (base === undefined) continue;
      const mtime = mtimeOf(path.join(this.dir, name));
      if (mtime !== undefined) candidates.push({ name, base, mtime });
    }
    // Oldest first, so re-sent batches reach the collector roughly in the order they were produced.
    candidates.sort((a, b) => a.mtime - b.mtime || (a.name < b.name ? -1 : 1));
    for (const { name, base } of candidates) {
      const target = path.join(this.dir, `${base}.sending-${process.pid}-${this.nextId()}`);
      try {
        fs.renameSync(path.join(this.dir, name), target);
        return target;
      } catch (err) {
        if (isCode(err, 'ENOENT')) continue; // another process claimed it first
        throw err;
      }
    }
    return undefined;
  }

  /**
   * Streams a claimed file line by line: a spool can outgrow memory, so it is never read whole. A process
   * that opened the file just before the claim may still append a line after it; the size check at the end
   * picks that up rather than deleting it unread.
   */
  async *lines(file: string): AsyncGenerator<string> {
    let offset = 0;
    for (;;) {
      const stream = fs.createReadStream(file, { start: offset });
      const reader = readline.createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      try {
        for await (const line of reader) if (line.length > 0) yield line;
      } finally {
        reader.close();
        stream.destroy();
      }
      offset += stream.bytesRead;
      if (fs.statSync(file).size <= offset) return;
    }
  }

  /** Hands a claimed file back untouched, under a fresh spool name (the original may be in use again). */
  unclaim(claimed: string): void {
    fs.renameSync(claimed, this.freshSpoolName());
  }

  /**
   * Copies the unsent rest of a claimed file (`first`, then whatever `rest` still yields) to a new spool
   * file and deletes the claimed one. The copy is written under a .part name and renamed when complete,
   * so no other process can claim a half-written file.
   */
  async writeBack(claimed: string, first: string, rest: AsyncIterator<string>): Promise<void> {
    const part = path.join(this.dir, `writeback-${process.pid}-${this.nextId()}.part`);
    const fd = fs.openSync(part, 'wx');
    try {
      let chunk = `${first}\n`;
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        chunk += `${next.value}\n`;
        if (chunk.length >= 1 << 20) chunk = writeAll(fd, chunk);
      }
      writeAll(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(part, this.freshSpoolName());
    fs.unlinkSync(claimed);
  }

  remove(claimed: string): void {
    fs.unlinkSync(claimed);
  }

  private freshSpoolName(): string {
    return path.join(this.dir, `spool-${process.pid}-${Date.now()}-${suffix()}.jsonl`);
  }

  private nextId(): string {
    // The counter keeps names unique within this instance; the random part across threads of one process.
    return `${(this.counter++).toString(36)}${suffix()}`;
  }

  private appendLine(file: string, line: string): void {
    const data = `${line}\n`;
    // The directory is created lazily, and again if someone removed it while we ran.
    if (!this.dirReady) this.makeDir();
    try {
      fs.appendFileSync(file, data);
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
      this.makeDir();
      fs.appendFileSync(file, data);
    }
  }

  private makeDir(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.dirReady = true;
  }
}

/** A pid is dead when signal 0 cannot reach it (ESRCH); EPERM means alive but someone else's. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return !isCode(err, 'ESRCH');
  }
}

function writeAll(fd: number, text: string): string {
  const data = Buffer.from(text);
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
  return '';
}

function mtimeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined; // claimed or removed by another process since readdir
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // Another process cleaned it up first.
  }
}

function suffix(): string {
  return randomBytes(4).toString('hex');
}

function isCode(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === code;
}
