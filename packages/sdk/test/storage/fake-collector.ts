import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface Received {
  batchId: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  at: number;
}

/**
 * A FluxLoop collector stand-in on 127.0.0.1 that stores batches once per batch_id, like the real one.
 * `replies` is a script consumed one entry per request; when it runs out, every request gets `fallback`.
 */
export class FakeCollector {
  readonly requests: Received[] = [];
  /** Stored batches by batch_id (first delivery wins). */
  readonly batches = new Map<string, { traces: unknown[]; observations: unknown[]; body: string }>();
  /** Deliveries of a batch_id that was already stored. */
  duplicates = 0;
  replies: Reply[] = [];
  fallback: Reply = { status: 200 };
  port = 0;
  private server: http.Server | undefined;
  private readonly hanging = new Set<http.ServerResponse>();

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts on `port` (0: any free one; pass the old port to come back up where clients expect it). */
  async start(port = this.port): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Goes down hard: open and hanging connections are cut, new ones refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  failNext(count: number, reply: Reply = { status: 503 }): void {
    for (let i = 0; i < count; i++) this.replies.push(reply);
  }

  /** Every distinct record stored, as the raw JSON text it arrived as. */
  records(): string[] {
    const out: string[] = [];
    for (const batch of this.batches.values()) {
      for (const r of [...batch.traces, ...batch.observations]) out.push(JSON.stringify(r));
    }
    return out;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let parsed: { batch_id?: string; traces?: unknown[]; observations?: unknown[] } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        // Recorded anyway; the test decides what a bad body means.
      }
      const batchId = parsed.batch_id ?? '';
      this.requests.push({
        batchId,
        path: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
        at: Date.now(),
      });
      const reply = this.replies.shift() ?? this.fallback;
      if (reply === 'hang') {
        this.hanging.add(res);
        return;
      }
      if (reply.status >= 200 && reply.status < 300) {
        if (this.batches.has(batchId)) this.duplicates++;
        else this.batches.set(batchId, { traces: parsed.traces ?? [], observations: parsed.observations ?? [], body });
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  }
}

/** A port nothing listens on (yet): taken from a server that was just closed. */
export async function freePort(): Promise<number> {
  const c = await new FakeCollector().start(0);
  await c.stop();
  return c.port;
}

const tempDirs: string[] = [];

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-http-'));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Appendable records whose JSON text is what JSON.stringify produces, so a round trip is byte-identical. */
export function makeRecords(count: number, prefix = 'r'): string[] {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ id: `${prefix}${i}`, text: 'héllo "q" \n\u2028 ✓', n: i * 1.5, nested: { a: [1, null, true] } }),
  );
}

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Files in the spool dir whose lines would still be re-sent (spool files and claims). */
export function spoolFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => n.startsWith('spool-'));
}

/** Lines of every spool file; retried when a file is renamed (claimed) between listing and reading it. */
export function spoolLines(dir: string): string[] {
  for (let attempt = 0; ; attempt++) {
    try {
      return spoolFiles(dir).flatMap((n) =>
        fs
          .readFileSync(path.join(dir, n), 'utf8')
          .split('\n')
          .filter((l) => l.length > 0),
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 20) throw err;
    }
  }
}
