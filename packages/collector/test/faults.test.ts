import fs from 'node:fs';
import path from 'node:path';
import { validateObservationRecord, validateTraceRecord } from '@fluxloop/contract/validate';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CollectorProc,
  countLines,
  FIXTURES,
  faultTmp,
  freePort,
  killAll,
  killCollector,
  type Proc,
  readJsonl,
  removeFaultTemps,
  sleep,
  spawnNode,
  spoolLeft,
  startCollectorCli,
  stopCollector,
  waitFor,
} from './helpers/fault-procs.js';

// Fault tests with real processes and real HTTP on 127.0.0.1: the collector is `fluxloop collector serve` (the built
// CLI) on a fixed port, so it can go down and come back where its clients expect it; the clients are the built SDK
// with HTTP storage and the official OTLP/HTTP JSON exporter. Every wait is on a condition, with a timeout.

const EMITTER = path.join(FIXTURES, 'fault-sdk-emitter.mjs');
const OTLP_CLIENT = path.join(FIXTURES, 'fault-otlp-client.mjs');
const KILL_ON_GROWTH = path.join(FIXTURES, 'fault-kill-on-growth.mjs');

afterEach(async () => {
  await killAll();
  removeFaultTemps();
});

type Json = Record<string, unknown>;

const lastEnded = (p: Proc): number => {
  const samples = p.json().filter((o) => typeof o.ended === 'number');
  return (samples.at(-1)?.ended as number | undefined) ?? 0;
};

function doneLine(p: Proc): Json {
  const done = p.json().find((o) => o.done === true);
  if (!done) throw new Error(`no final line from the child; stdout tail: ${p.stdout().slice(-500)}\n${p.stderr()}`);
  return done;
}

interface StorageStats {
  accepted: number;
  delivered: number;
  spooled: number;
  failed: number;
  resentBatches: number;
  deadLettered: number;
}

function emitterStats(done: Json): { dropped: number; storage: StorageStats } {
  return done.stats as { dropped: number; storage: StorageStats };
}

/** The root observation of an emitter trace carries [{ proc, t, pad }] as its input. */
function rootKey(o: Json): string | undefined {
  if (o.parent_observation_id !== null || o.name !== 'run') return undefined;
  const input = (o.input as { proc: string; t: number }[] | undefined)?.[0];
  return input ? `${input.proc}#${input.t}` : undefined;
}

/** Every complete line is a valid record; returns the records and the lines that are not (torn fragments). */
function recordsOf(file: string, kind: 'observation' | 'trace') {
  const jsonl = readJsonl(file);
  const validate = kind === 'observation' ? validateObservationRecord : validateTraceRecord;
  const invalid = jsonl.records.map((r) => validate(r)).filter((v) => !v.valid);
  expect(invalid, `${file}: records that parse but are not valid ${kind} records`).toEqual([]);
  return jsonl;
}

function duplicates(values: string[]): number {
  return values.length - new Set(values).size;
}

describe('collector faults (real processes, real HTTP)', () => {
  /**
   * One run: an SDK app ends 30 traces/s with HTTP storage while the collector's port refuses connections for
   * `outageMs`; then the collector comes up on that port and the app keeps going a little, then shuts down.
   */
  async function outageRun(outageMs: number) {
    const port = await freePort();
    const outputDir = faultTmp();
    const spoolDir = faultTmp();
    const env = {
      FAULT_COLLECTOR_URL: `http://127.0.0.1:${port}`,
      FAULT_SPOOL_DIR: spoolDir,
      FAULT_SERVICE: 'fault-sdk',
      FAULT_RATE: '30',
    };
    const observationsFile = path.join(outputDir, 'fault-sdk', 'observations.jsonl');
    const tracesFile = path.join(outputDir, 'fault-sdk', 'traces.jsonl');

    const app = spawnNode(EMITTER, [], { env: { ...env, FAULT_PROC: 'app' } });
    await waitFor(() => lastEnded(app) > 0, 15_000, 'the app to end its first trace');
    const endedBefore = lastEnded(app);
    await sleep(outageMs); // the outage itself: the port refuses connections for this long
    const endedInOutage = lastEnded(app) - endedBefore;
    const collector = await startCollectorCli(port, outputDir);
    const endedAtUp = lastEnded(app);
    // With the collector up, the app goes on until it has delivered fresh traces, not only re-sent ones.
    await waitFor(
      () => lastEnded(app) >= endedAtUp + 30 && countLines(observationsFile) > 0,
      20_000,
      'traces delivered after the collector came up',
    );
    app.send('stop');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    const done = doneLine(app);
    const stats = emitterStats(done);
    expect(done.shutdown).toBe(true);
    expect(stats.dropped).toBe(0);
    expect(stats.storage.failed).toBe(0);
    expect(app.stderr()).toContain('could not reach the FluxLoop collector');

    const expected = new Map<string, number>([['app', done.ended as number]]);
    // Whatever the first process left in the spool goes with the next one (here: one more trace, then shutdown).
    const spooledAtExit = spoolLeft(spoolDir).length;
    if (spooledAtExit > 0) {
      const next = spawnNode(EMITTER, [], { env: { ...env, FAULT_PROC: 'next', FAULT_TRACES: '1' } });
      expect(await next.exited).toEqual({ code: 0, signal: null });
      expect(doneLine(next).shutdown).toBe(true);
      expect(emitterStats(doneLine(next)).storage.failed).toBe(0);
      expected.set('next', 1);
    }
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    await waitFor(() => countLines(tracesFile) >= total, 15_000, `${total} trace records`);
    const stop = await stopCollector(collector);
    expect(stop.code).toBe(0);
    expect(spoolLeft(spoolDir)).toEqual([]);

    // Every record exactly once.
    const observations = recordsOf(observationsFile, 'observation');
    const traces = recordsOf(tracesFile, 'trace');
    expect(observations.unparsable).toEqual([]);
    expect(traces.unparsable).toEqual([]);
    expect(observations.tail + traces.tail).toBe('');
    const ids = observations.records.map((o) => o.id as string);
    expect(new Set(ids).size).toBe(total * 3);
    expect(duplicates(ids)).toBe(0);
    const traceIds = traces.records.map((t) => t.trace_id as string);
    expect(traceIds.length).toBe(total);
    expect(new Set(traceIds).size).toBe(total);
    expect(new Set(observations.records.map((o) => o.trace_id as string))).toEqual(new Set(traceIds));
    const roots = observations.records.map(rootKey).filter((k) => k !== undefined);
    const wanted = [...expected].flatMap(([proc, n]) => Array.from({ length: n }, (_, t) => `${proc}#${t}`));
    expect(roots.sort()).toEqual(wanted.sort());

    const samples = app.json().filter((o) => typeof o.rss === 'number');
    const rss = samples.map((o) => o.rss as number);
    return {
      outageMs,
      endedInOutage,
      traces: total,
      spooled: stats.storage.spooled,
      resentBatches: stats.storage.resentBatches,
      spooledAtExit,
      maxRssMb: Math.max(...rss) / 2 ** 20,
      maxQueued: Math.max(...samples.map((o) => o.queued as number)),
      rssSamples: rss.length,
    };
  }

  it('SDK HTTP storage rides out a collector outage: every record stored exactly once, memory bounded', async () => {
    const short = await outageRun(3_000);
    const long = await outageRun(6_000);
    console.log('outage runs', JSON.stringify([short, long]));
    for (const run of [short, long]) {
      // The app really kept ending traces while the collector was down (30/s; generous for a noisy machine).
      expect(run.endedInOutage).toBeGreaterThanOrEqual((run.outageMs / 1000) * 30 * 0.5);
      expect(run.rssSamples).toBeGreaterThan(20);
      expect(run.maxRssMb).toBeLessThan(300);
      // Spans held on the app's thread until the export worker reports them durable (delivered or spooled):
      // never more than a few seconds' worth (30 traces/s = 90 spans/s), however long the outage.
      expect(run.maxQueued).toBeLessThan(1_000);
    }
    // Five attempts with backoff take at most ~3 s, so a 6 s outage always spools a batch to disk.
    expect(long.spooled).toBeGreaterThan(0);
    // Twice the outage, twice the records waiting: memory must not follow (a few MB of noise allowed).
    expect(long.maxRssMb).toBeLessThan(short.maxRssMb + 32);
  });

  // HTTP storage spools live batches without retrying them once the collector is known to be down (it probes on
  // the re-send timer): above ~1,000 records/s an outage must fill the spool, not the app's memory.
  it("at 600 traces/s an outage fills the spool, not the app's memory: nothing dropped", async () => {
    const port = await freePort();
    const app = spawnNode(EMITTER, [], {
      env: {
        FAULT_COLLECTOR_URL: `http://127.0.0.1:${port}`,
        FAULT_SPOOL_DIR: faultTmp(),
        FAULT_RATE: '600',
        FAULT_PAD: '200',
        // 10,000 spans is more than five seconds' worth: a storage that spools during an outage never needs it.
        OTEL_BSP_MAX_QUEUE_SIZE: '10000',
      },
    });
    await waitFor(() => lastEnded(app) > 0, 15_000, 'the app to end its first trace');
    await sleep(8_000); // the collector never comes up
    const samples = app.json().filter((o) => typeof o.queued === 'number');
    app.child.kill('SIGKILL');
    const last = samples.at(-1)!;
    console.log(
      'high-rate outage',
      JSON.stringify({
        ended: last.ended,
        queued: samples.filter((_, i) => i % 10 === 0).map((o) => o.queued),
        dropped: last.dropped,
        rssMb: Math.round((last.rss as number) / 2 ** 20),
      }),
    );
    expect(last.ended as number).toBeGreaterThan(600 * 4); // the app really ran at speed
    expect(last.dropped).toBe(0);
  });

  it('collector SIGKILLed and restarted repeatedly under OTLP/JSON and record batches: no torn records, nothing acknowledged lost', async () => {
    const KILLS = 5;
    // Mostly short gaps (both clients' retries bridge them); one long enough (> the ~3 s HTTP storage spends on a
    // batch's five attempts) that the SDK spools and re-sends while the collector keeps dying.
    const LONG_DOWN = 2;
    const port = await freePort();
    const outputDir = faultTmp();
    const spoolDir = faultTmp();
    const ackFile = path.join(faultTmp(), 'acked.txt');
    const url = `http://127.0.0.1:${port}`;
    const files = {
      otlpObservations: path.join(outputDir, 'fault-otlp', 'observations.jsonl'),
      otlpTraces: path.join(outputDir, 'fault-otlp', 'traces.jsonl'),
      sdkObservations: path.join(outputDir, 'fault-sdk', 'observations.jsonl'),
      sdkTraces: path.join(outputDir, 'fault-sdk', 'traces.jsonl'),
    };
    const sdkEnv = {
      FAULT_COLLECTOR_URL: url,
      FAULT_SPOOL_DIR: spoolDir,
      FAULT_SERVICE: 'fault-sdk',
      FAULT_RATE: '50',
    };

    let collector: CollectorProc = await startCollectorCli(port, outputDir);
    const otlp = spawnNode(OTLP_CLIENT, [], {
      env: { FAULT_OTLP_URL: `${url}/v1/traces`, FAULT_ACK_FILE: ackFile, FAULT_RATE: '100' },
    });
    const app = spawnNode(EMITTER, [], { env: { ...sdkEnv, FAULT_PROC: 'app' } });
    const bothDeliver = async (what: string) => {
      const [o, s] = [countLines(files.otlpObservations), countLines(files.sdkObservations)];
      await waitFor(
        () => countLines(files.otlpObservations) > o && countLines(files.sdkObservations) > s,
        20_000,
        `both clients to deliver ${what}`,
      );
    };

    const kills: { afterMs: number; downMs: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      await bothDeliver(`before kill ${k + 1}`);
      const afterMs = 50 + Math.round(Math.random() * 400);
      await sleep(afterMs);
      const exit = await killCollector(collector);
      expect(exit.signal).toBe('SIGKILL');
      const downMs = k === LONG_DOWN ? 3_500 : Math.round(Math.random() * 600);
      await sleep(downMs);
      collector = await startCollectorCli(port, outputDir);
      kills.push({ afterMs, downMs });
    }
    await bothDeliver('after the last restart');
    otlp.send('stop');
    app.send('stop');
    expect(await otlp.exited).toEqual({ code: 0, signal: null });
    expect(await app.exited).toEqual({ code: 0, signal: null });

    const otlpDone = doneLine(otlp);
    const appDone = doneLine(app);
    const expectedSdk = new Map<string, number>([['app', appDone.ended as number]]);
    if (spoolLeft(spoolDir).length > 0) {
      const next = spawnNode(EMITTER, [], { env: { ...sdkEnv, FAULT_PROC: 'next', FAULT_TRACES: '1' } });
      expect(await next.exited).toEqual({ code: 0, signal: null });
      expectedSdk.set('next', 1);
    }
    const sdkTotal = [...expectedSdk.values()].reduce((a, b) => a + b, 0);
    const acked = fs.readFileSync(ackFile, 'utf8').split('\n').filter(Boolean);
    await waitFor(
      () => countLines(files.sdkTraces) >= sdkTotal && countLines(files.otlpObservations) >= acked.length,
      15_000,
      'the last records',
    );
    expect((await stopCollector(collector)).code).toBe(0);
    expect(spoolLeft(spoolDir)).toEqual([]);

    // Every line of every file: a whole valid record, or (only where a kill tore a write) a fenced fragment that
    // is a line of its own. A clean stop leaves no partial last line.
    const read = Object.fromEntries(
      Object.entries(files).map(([k, f]) => [k, recordsOf(f, k.endsWith('Traces') ? 'trace' : 'observation')]),
    ) as Record<keyof typeof files, ReturnType<typeof readJsonl>>;
    const torn: string[] = [];
    for (const [name, jsonl] of Object.entries(read)) {
      expect(jsonl.tail, `${name} ends with a partial line`).toBe('');
      expect(jsonl.unparsable.length, `${name}: more torn fragments than kills`).toBeLessThanOrEqual(KILLS);
      for (const bad of jsonl.unparsable) {
        torn.push(`${name}:${bad.line} (${bad.text.length} chars)`);
        // A fragment is the beginning of one record, never two records glued together.
        expect(bad.text.startsWith('{"schema_version":"1.0"')).toBe(true);
        expect(bad.text.indexOf('{"schema_version"', 1)).toBe(-1);
      }
    }

    // OTLP: every span the exporter saw acknowledged is stored; re-sent requests may store a span twice (the
    // span dedupe window does not survive a restart), but as the same record.
    expect(otlpDone.failedSpans).toBe(0);
    expect(otlpDone.acked).toBe(otlpDone.ended);
    expect(acked.length).toBe(otlpDone.ended);
    const otlpLines = new Map<string, string>();
    let otlpDuplicateMismatch = 0;
    for (const line of read.otlpObservations.lines) {
      let id: string;
      try {
        id = (JSON.parse(line) as Json).id as string;
      } catch {
        continue;
      }
      const seen = otlpLines.get(id);
      if (seen !== undefined && seen !== line) otlpDuplicateMismatch++;
      otlpLines.set(id, line);
    }
    const missing = acked.filter((id) => !otlpLines.has(id));
    expect(missing).toEqual([]);
    expect(otlpDuplicateMismatch).toBe(0);
    const otlpIds = read.otlpObservations.records.map((o) => o.id as string);
    expect(new Set(otlpIds).size).toBe(acked.length);

    // Record batches: everything the app ended is stored (delivered, or spooled and re-sent); a batch may be stored
    // twice only if the collector died between writing it and journaling its batch_id.
    const appStats = emitterStats(appDone);
    expect(appStats.dropped).toBe(0);
    expect(appStats.storage.failed).toBe(0);
    expect(appStats.storage.deadLettered).toBe(0);
    const roots = read.sdkObservations.records.map(rootKey).filter((k) => k !== undefined);
    const wanted = [...expectedSdk].flatMap(([proc, n]) => Array.from({ length: n }, (_, t) => `${proc}#${t}`));
    expect(new Set(roots)).toEqual(new Set(wanted));
    const sdkIds = read.sdkObservations.records.map((o) => o.id as string);
    expect(new Set(sdkIds).size).toBe(sdkTotal * 3);
    const sdkTraceIds = read.sdkTraces.records.map((t) => t.trace_id as string);
    expect(new Set(sdkTraceIds).size).toBe(sdkTotal);

    console.log(
      'kill run',
      JSON.stringify({
        kills,
        otlp: { ended: otlpDone.ended, acked: acked.length, duplicateSpans: duplicates(otlpIds) },
        sdk: {
          traces: sdkTotal,
          duplicateObservations: duplicates(sdkIds),
          duplicateTraces: duplicates(sdkTraceIds),
          spooled: appStats.storage.spooled,
          resentBatches: appStats.storage.resentBatches,
        },
        torn,
      }),
    );
  });

  it('SIGKILL in the middle of a large append: the torn tail is fenced off, complete lines parse, the re-sent batch is whole', async () => {
    const port = await freePort();
    const outputDir = faultTmp();
    const url = `http://127.0.0.1:${port}`;
    const file = path.join(outputDir, 'fault-torn', 'observations.jsonl');
    const observation = (n: number, pad: number) => ({
      schema_version: '1.0',
      id: (n + 1).toString(16).padStart(16, '0'),
      trace_id: 'ab'.repeat(16),
      parent_observation_id: null,
      type: 'span',
      name: `op-${n}`,
      start_time: '2026-11-22T10:00:00.000000Z',
      end_time: '2026-11-22T10:00:00.001000Z',
      duration_ms: 1,
      level: 'info',
      input: { n, text: 'é'.repeat(pad) },
      output: null,
      status_message: null,
      metadata: {},
      model: null,
      token_usage: null,
    });
    const batch = (id: string, observations: Json[]) =>
      JSON.stringify({ batch_id: id, service_name: 'fault-torn', traces: [], observations });
    const post = (body: string) =>
      fetch(`${url}/v1/fluxloop/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const small1 = Array.from({ length: 10 }, (_, i) => observation(i, 10));
    // ~30 MB in one write(): the kernel checks for SIGKILL between pages, so a kill can land inside it.
    const big = Array.from({ length: 1500 }, (_, i) => observation(100 + i, 10_000));
    const small2 = Array.from({ length: 10 }, (_, i) => observation(10_000 + i, 10));
    const bigBody = batch('big-1', big);

    let collector = await startCollectorCli(port, outputDir, ['--max-body-mb', '128']);
    expect((await post(batch('small-1', small1))).status).toBe(200);
    const before = fs.statSync(file).size;
    const watcher = spawnNode(KILL_ON_GROWTH, [file, String(collector.pid), String(before)]);
    await waitFor(() => watcher.stdout().startsWith('ready'), 10_000, 'the watcher');
    const firstTry = post(bigBody).then(
      (res) => `answered ${res.status}`,
      (err: Error) => `failed: ${(err.cause as { code?: string } | undefined)?.code ?? err.message}`,
    );
    await watcher.exited;
    const watched = watcher.json()[0]!;
    expect(watched.killed).toBe(true);
    expect((await collector.exited).signal).toBe('SIGKILL');
    // The client saw no answer: the batch was not acknowledged, so the client sends it again.
    expect(await firstTry).toMatch(/^failed/);
    const afterKill = fs.readFileSync(file);
    const bigLines = big.map((o) => JSON.stringify(o));
    const bigBytes = Buffer.byteLength(`${bigLines.join('\n')}\n`);
    // What SIGKILL really leaves: part of the batch, ending inside a line (no final newline).
    expect(afterKill.length).toBeGreaterThan(before);
    expect(afterKill.length).toBeLessThan(before + bigBytes);
    expect(afterKill[afterKill.length - 1]).not.toBe(0x0a);
    const completeBeforeKill = afterKill.subarray(before).toString('utf8').split('\n').length - 1;
    // The torn tail, as bytes: the kill can cut a multi-byte character in two.
    const tornTail = afterKill.subarray(afterKill.lastIndexOf(0x0a) + 1);
    expect(tornTail.length).toBeGreaterThan(0);
    expect(Buffer.from(bigLines[completeBeforeKill]!).subarray(0, tornTail.length).equals(tornTail)).toBe(true);

    // Restarted, the collector gets the same batch again (same batch_id, as HTTP storage re-sends it): it was
    // never journaled, so it is stored, after the fence that ends the torn line.
    collector = await startCollectorCli(port, outputDir, ['--max-body-mb', '128']);
    const again = await post(bigBody);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ batch_id: 'big-1', stored: true, duplicate: false });
    expect((await post(batch('small-2', small2))).status).toBe(200);
    expect((await stopCollector(collector)).code).toBe(0);

    const jsonl = recordsOf(file, 'observation');
    expect(jsonl.tail).toBe('');
    expect(jsonl.lines.length).toBe(small1.length + completeBeforeKill + 1 + big.length + small2.length);
    // Exactly one unparsable line: the torn fragment, fenced into a line of its own, and it is the beginning of
    // the record that was being written, nothing else glued to it.
    expect(jsonl.unparsable.map((u) => u.line)).toEqual([small1.length + completeBeforeKill]);
    const fragment = jsonl.unparsable[0]!.text;
    expect(fragment).toBe(tornTail.toString('utf8'));
    // Every other line is exactly one of the records sent: the first small batch, the complete lines of the torn
    // write, the whole big batch again, the second small batch.
    const expectedLines = [
      ...small1.map((o) => JSON.stringify(o)),
      ...bigLines.slice(0, completeBeforeKill),
      ...bigLines,
      ...small2.map((o) => JSON.stringify(o)),
    ];
    const whole = jsonl.lines.filter((_, i) => i !== jsonl.unparsable[0]!.line);
    expect(whole.findIndex((line, i) => line !== expectedLines[i])).toBe(-1);
    console.log(
      'torn write',
      JSON.stringify({ watched, before, afterKill: afterKill.length, completeBeforeKill, tornBytes: tornTail.length }),
    );
  });
});
