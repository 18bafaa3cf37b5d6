import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryReporter } from '../../src/diagnostics.js';
import { HttpStorage, type HttpStorageOptions } from '../../src/storage/http-storage.js';
import { parseRetryAfter } from '../../src/storage/http-transport.js';
import {
  FakeCollector,
  freePort,
  makeRecords,
  removeTempDirs,
  spoolFiles,
  spoolLines,
  tempDir,
  waitFor,
} from './fake-collector.js';

const KEY = 'sk-fluxloop-test-5ecret-key';
const open: { storages: HttpStorage[]; collectors: FakeCollector[] } = { storages: [], collectors: [] };

afterAll(removeTempDirs);
afterEach(async () => {
  await Promise.all(open.storages.splice(0).map((s) => s.shutdown(1000)));
  await Promise.all(open.collectors.splice(0).map((c) => c.stop()));
});

async function collector(): Promise<FakeCollector> {
  const c = await new FakeCollector().start();
  open.collectors.push(c);
  return c;
}

function storage(url: string, extra: Partial<HttpStorageOptions> = {}) {
  const reporter = new MemoryReporter();
  const dir = extra.spoolDir ?? path.join(tempDir(), 'spool');
  const s = new HttpStorage({
    collectorUrl: url,
    reporter,
    initialBackoffMs: 10,
    maxBackoffMs: 50,
    resendIntervalMs: 100,
    requestTimeoutMs: 2000,
    ...extra,
    spoolDir: dir,
  });
  open.storages.push(s);
  return { s, reporter, dir };
}

const distinct = (c: FakeCollector) => new Set(c.records()).size;

describe('HttpStorage delivery', () => {
  it('posts batches with batch_id, path and bearer key; records arrive once and byte-identical', async () => {
    const c = await collector();
    const { s } = storage(`${c.url}/`, { apiKey: KEY, maxBatchRecords: 40 });
    const traces = makeRecords(10, 't');
    const observations = makeRecords(90, 'o');
    s.append({ traces, observations: observations.slice(0, 50) });
    s.append({ traces: [], observations: observations.slice(50) });
    expect(await s.flush(5000)).toBe(true);

    expect(c.requests.length).toBe(3);
    for (const r of c.requests) {
      expect(r.path).toBe('/v1/fluxloop/records');
      expect(r.authorization).toBe(`Bearer ${KEY}`);
      expect(r.contentType).toBe('application/json');
      expect(r.batchId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const bodies = c.requests.map((r) => r.body).join('\n');
    for (const rec of [...traces, ...observations]) expect(bodies.split(rec).length).toBe(2); // exactly once, as sent
    const stored = [...c.batches.values()];
    expect(stored.flatMap((b) => b.traces).map((t) => JSON.stringify(t))).toEqual(traces);
    expect(stored.flatMap((b) => b.observations).map((o) => JSON.stringify(o))).toEqual(observations);
    expect(s.stats()).toMatchObject({ accepted: 100, delivered: 100, spooled: 0, failed: 0, pendingRecords: 0 });
  });

  it('keeps request bodies within maxBatchBytes', async () => {
    const c = await collector();
    const { s } = storage(c.url, { maxBatchBytes: 2000 });
    const records = makeRecords(40);
    s.append({ traces: [], observations: records });
    expect(await s.flush(5000)).toBe(true);
    expect(c.requests.length).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(records.join(',')) / 2000));
    for (const r of c.requests) expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(2000);
    expect(distinct(c)).toBe(40);
  });

  it('retries 503 with backoff, then delivers every record once under the same batch_id', async () => {
    const c = await collector();
    c.failNext(3);
    const { s } = storage(c.url);
    s.append({ traces: makeRecords(5, 't'), observations: makeRecords(45) });
    expect(await s.flush(5000)).toBe(true);
    expect(c.requests.length).toBe(4);
    expect(new Set(c.requests.map((r) => r.batchId)).size).toBe(1);
    expect(distinct(c)).toBe(50);
    console.info(`503 retry: ${c.requests.length} requests, ${c.duplicates} duplicate deliveries`);
    expect(c.duplicates).toBe(0);
  });

  it('retries a refused connection until the collector comes up', async () => {
    const port = await freePort();
    const { s } = storage(`http://127.0.0.1:${port}`, { maxAttempts: 20, initialBackoffMs: 50, maxBackoffMs: 100 });
    s.append({ traces: [], observations: makeRecords(30) });
    await new Promise((r) => setTimeout(r, 300));
    const c = await new FakeCollector().start(port);
    open.collectors.push(c);
    expect(await s.flush(5000)).toBe(true);
    expect(distinct(c)).toBe(30);
    console.info(`refused connection: ${c.duplicates} duplicate deliveries`);
    expect(s.stats()).toMatchObject({ delivered: 30, spooled: 0 });
  });

  it('honours Retry-After on 429', async () => {
    const c = await collector();
    c.failNext(1, { status: 429, headers: { 'retry-after': '1' } });
    const { s } = storage(c.url);
    s.append({ traces: makeRecords(1), observations: [] });
    expect(await s.flush(5000)).toBe(true);
    const [first, second] = c.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect(distinct(c)).toBe(1);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:02 GMT', now)).toBe(2000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('HttpStorage during an outage', () => {
  it('after one batch used its attempts, spools the next ones without requests, and resumes when a probe gets through', async () => {
    const port = await freePort();
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const { s, dir } = storage(`http://127.0.0.1:${port}`, {
      fetch: counting,
      maxAttempts: 3,
      maxBatchRecords: 10,
      resendIntervalMs: 200,
    });
    for (let i = 0; i < 20; i++) s.append({ traces: [], observations: makeRecords(10, `b${i}-`) });
    expect(await s.flush(5_000)).toBe(true);
    // The first batch spent its 3 attempts; the other 19 went to the spool at once (at most a probe or two).
    expect(requests).toBeLessThanOrEqual(5);
    expect(spoolLines(dir)).toHaveLength(20);
    expect(s.stats()).toMatchObject({ spooled: 200, delivered: 0, failed: 0 });

    const c = await new FakeCollector().start(port);
    open.collectors.push(c);
    await waitFor(() => distinct(c) === 200, 10_000, 'the spool re-sent after the collector came back');
    s.append({ traces: [], observations: makeRecords(10, 'after-') });
    expect(await s.flush(5_000)).toBe(true);
    expect(distinct(c)).toBe(210);
    expect(c.duplicates).toBe(0);
  });
});

describe('HttpStorage spool', () => {
  it('spools while the collector is down and re-sends everything once when it is back', async () => {
    const c = await collector();
    await c.stop();
    const { s, dir } = storage(c.url, { maxAttempts: 2, maxBatchRecords: 20 });
    for (let i = 0; i < 5; i++) {
      s.append({ traces: makeRecords(2, `t${i}-`), observations: makeRecords(18, `o${i}-`) });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await s.flush(5000)).toBe(true);
    expect(s.stats()).toMatchObject({ accepted: 100, spooled: 100, delivered: 0 });
    expect(spoolLines(dir).length).toBe(5);

    await c.start(c.port);
    await waitFor(() => distinct(c) === 100 && spoolFiles(dir).length === 0, 5000, 're-send');
    const total = [...c.batches.values()].reduce((n, b) => n + b.traces.length + b.observations.length, 0);
    expect(total).toBe(100); // no record stored under two batch_ids
    console.info(`outage: ${c.requests.length} requests, ${c.duplicates} duplicate deliveries`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('spools on 401 and reports it once, without the key', async () => {
    const c = await collector();
    c.fallback = { status: 401, body: `invalid key ${KEY}` };
    const { s, reporter, dir } = storage(c.url, { apiKey: KEY, resendIntervalMs: 60_000 });
    s.append({ traces: makeRecords(2), observations: [] });
    expect(await s.flush(5000)).toBe(true);
    s.append({ traces: makeRecords(2, 'b'), observations: [] });
    expect(await s.flush(5000)).toBe(true);
    expect(s.stats()).toMatchObject({ spooled: 4, failed: 0 });
    expect(c.requests.length).toBe(2); // not retried: a wrong key does not fix itself
    const reports = reporter.messages.filter((m) => m.key === 'http-storage:unauthorized');
    expect(reports.length).toBe(2); // the Reporter prints the first per key only
    expect(reports[0]!.message).toContain('HTTP 401');
    expectNoKey(dir, reporter);
  });

  it('dead-letters a 400 with the status and response text, never retrying it', async () => {
    const c = await collector();
    c.fallback = { status: 400, body: `bad record: missing trace_id ${'x'.repeat(1000)} ${KEY}` };
    const { s, reporter, dir } = storage(c.url, { apiKey: KEY });
    s.append({ traces: makeRecords(3), observations: [] });
    expect(await s.flush(5000)).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(c.requests.length).toBe(1);
    expect(s.stats()).toMatchObject({ failed: 3, deadLettered: 3, spooled: 0 });
    const [report] = reporter.messages;
    expect(report!.key).toBe('http-storage:rejected:400');
    expect(report!.message).toContain('HTTP 400: bad record: missing trace_id xxx');
    expect(report!.message).not.toContain('x'.repeat(600));
    const rejected = fs.readdirSync(dir).filter((n) => n.startsWith('rejected-'));
    expect(rejected.length).toBe(1);
    const entry = JSON.parse(fs.readFileSync(path.join(dir, rejected[0]!), 'utf8'));
    expect(entry.status).toBe(400);
    expect(JSON.parse(entry.body).traces.length).toBe(3);
    expect(spoolFiles(dir)).toEqual([]);
    expectNoKey(dir, reporter);
  });

  it('flushSync spools pending and in-flight batches; a new process re-sends them', async () => {
    const c = await collector();
    c.fallback = 'hang';
    const dir = path.join(tempDir(), 'spool');
    const first = storage(c.url, { spoolDir: dir, maxBatchRecords: 10, requestTimeoutMs: 30_000 });
    first.s.append({ traces: [], observations: makeRecords(10, 'a') });
    await waitFor(() => c.requests.length === 1, 2000, 'request in flight');
    first.s.append({ traces: [], observations: makeRecords(25, 'b') });
    first.s.flushSync();
    const lines = spoolLines(dir);
    expect(lines.length).toBe(4);
    expect(lines.some((l) => l.includes(c.requests[0]!.batchId))).toBe(true);
    expect(first.s.stats()).toMatchObject({ accepted: 35, spooled: 35, pendingRecords: 0 });
    await first.s.shutdown(1000);

    c.fallback = { status: 200 };
    storage(c.url, { spoolDir: dir });
    await waitFor(() => distinct(c) === 35 && spoolFiles(dir).length === 0, 5000, 're-send on start');
    expect(c.duplicates).toBe(0);
  });

  it('writes the unsent rest of a spool file back when a re-send fails midway', async () => {
    const c = await collector();
    const dir = tempDir();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    fs.writeFileSync(path.join(dir, 'spool-1-1-aa.jsonl'), ids.map((id) => spoolLine(id)).join(''));
    c.failNext(2, { status: 200 });
    c.fallback = { status: 503 };
    storage(c.url, { spoolDir: dir, maxAttempts: 2, resendIntervalMs: 60_000 });
    await waitFor(() => c.requests.length === 4, 3000, 'failed re-send');
    await waitFor(() => spoolFiles(dir).every((n) => n.endsWith('.jsonl')), 3000, 'write-back');
    expect(spoolLines(dir).map((l) => JSON.parse(l).batch_id)).toEqual(ids.slice(2));
    expect(fs.readdirSync(dir).length).toBe(1);

    c.fallback = { status: 200 };
    storage(c.url, { spoolDir: dir });
    await waitFor(() => c.batches.size === 5 && spoolFiles(dir).length === 0, 3000, 're-send of the rest');
    expect(c.duplicates).toBe(0);
  });

  it('reclaims a claim left by a dead process and leaves a live claim alone', async () => {
    const c = await collector();
    const dir = tempDir();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const staleId = randomUUID();
    const liveId = randomUUID();
    fs.writeFileSync(path.join(dir, `spool-1-1-aa.jsonl.sending-${deadPid}-0a`), spoolLine(staleId));
    const liveClaim = `spool-2-2-bb.jsonl.sending-${process.ppid}-0b`;
    fs.writeFileSync(path.join(dir, liveClaim), spoolLine(liveId));

    storage(c.url, { spoolDir: dir });
    await waitFor(() => c.batches.has(staleId) && fs.readdirSync(dir).length === 1, 3000, 'stale claim re-sent');
    expect(fs.readdirSync(dir)).toEqual([liveClaim]);
    expect(c.batches.has(liveId)).toBe(false);
  });

  it('bounds memory: with the collector down, batches past maxPendingBatches go to disk', async () => {
    const { s, dir } = storage(`http://127.0.0.1:${await freePort()}`, {
      maxPendingBatches: 2,
      maxBatchRecords: 10,
      maxAttempts: 3,
      initialBackoffMs: 500,
      maxBackoffMs: 500,
    });
    for (let i = 0; i < 50; i++) {
      s.append({ traces: [], observations: makeRecords(10, `${i}-`) });
      if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      expect(s.stats().pendingBatches).toBeLessThanOrEqual(2);
    }
    expect(s.stats().pendingRecords).toBeLessThanOrEqual(40); // two waiting, one in flight, one open
    const { accepted, spooled, pendingRecords } = s.stats();
    expect(spooled + pendingRecords).toBe(accepted);
    expect(spooled).toBeGreaterThanOrEqual(460);
    expect(await s.shutdown(100)).toBe(true);
    expect(s.stats()).toMatchObject({ accepted: 500, spooled: 500, pendingRecords: 0 });
    const records = spoolLines(dir).reduce((n, l) => n + JSON.parse(l).observations.length, 0);
    expect(records).toBe(500);
  });
});

function spoolLine(id: string): string {
  return `{"batch_id":"${id}","traces":[],"observations":[${makeRecords(1, id)[0]}]}\n`;
}

function expectNoKey(dir: string, reporter: MemoryReporter): void {
  for (const m of reporter.messages) expect(m.message).not.toContain(KEY);
  for (const name of fs.readdirSync(dir)) expect(fs.readFileSync(path.join(dir, name), 'utf8')).not.toContain(KEY);
}

describe('HttpStorage lifecycle', () => {
  const fixture = path.join(import.meta.dirname, 'http-child.fixture.ts');
  const runChild = async (url: string, dir: string, mode: string) => {
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture, url, dir, mode], {
      timeout: 10_000,
    });
    return { stdout, ms: Date.now() - started };
  };

  it('shutdown is idempotent and leaves nothing that keeps the process alive', async () => {
    const c = await collector();
    const { stdout, ms } = await runChild(c.url, tempDir(), 'shutdown');
    const out = JSON.parse(stdout);
    expect(out.results).toEqual([true, true, true, true]);
    expect(out.stats).toMatchObject({ accepted: 3, delivered: 3 });
    expect(distinct(c)).toBe(3);
    console.info(`child with shutdown() exited after ${ms} ms`);
    expect(ms).toBeLessThan(5000);
  });

  it('lets the process exit on its own, delivering when up and spooling at exit when down', async () => {
    const c = await collector();
    const up = await runChild(c.url, tempDir(), 'drain');
    expect(distinct(c)).toBe(3);
    const dir = tempDir();
    const down = await runChild(`http://127.0.0.1:${await freePort()}`, dir, 'drain');
    expect(spoolLines(dir).length).toBe(1);
    console.info(`child exits by itself: collector up ${up.ms} ms, down ${down.ms} ms`);
    expect(Math.max(up.ms, down.ms)).toBeLessThan(5000);
  });
});
