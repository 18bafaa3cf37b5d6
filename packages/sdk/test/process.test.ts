/**
 * Process-level lifecycle of the built SDK: what is on disk after a child process ends in each of the ways a
 * process ends (drains, exits, is killed, is signalled), and what forceFlush()/shutdown() promise.
 * Each test runs fixtures from test/fixtures in child processes (node, cwd and env per test, output in temp dirs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ChildResult,
  countBy,
  fixture,
  readOutput,
  removeTemps,
  report,
  run,
  sdkWarnings,
  start,
  tmp,
  until,
} from './helpers/child.js';

afterAll(removeTemps);

const SPANS = fixture('spans.mjs');
const LIFECYCLE = fixture('lifecycle.mjs');

/** Nothing is sent before the process ends: one batch would hold everything, and its timer never fires. */
const HOLD_EVERYTHING = {
  OTEL_BSP_SCHEDULE_DELAY: '600000',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1000000',
  OTEL_BSP_MAX_QUEUE_SIZE: '1000000',
};

/** Every line parses; exactly `traces` traces of `spansPerTrace` observations each, nothing twice, nothing torn. */
function expectComplete(dir: string, traces: number, spansPerTrace: number): void {
  const { traces: t, observations: o } = readOutput(dir);
  expect(o.endsWithNewline && t.endsWithNewline).toBe(true);
  expect(o.records).toHaveLength(traces * spansPerTrace);
  expect(t.records).toHaveLength(traces);
  expect(new Set(o.records.map((r) => r.id)).size).toBe(traces * spansPerTrace);
  const perTrace = countBy(o.records, (r) => String(r.trace_id));
  expect(perTrace.size).toBe(traces);
  expect([...new Set(perTrace.values())]).toEqual([spansPerTrace]);
  expect(new Set(t.records.map((r) => r.trace_id))).toEqual(new Set(perTrace.keys()));
  expect(new Set(t.records.map((r) => `${r.name}:${r.status}:${r.observation_count}`))).toEqual(
    new Set([`run:success:${spansPerTrace}`]),
  );
}

function expectCleanExit(result: ChildResult): void {
  expect({ code: result.code, signal: result.signal, timedOut: result.timedOut, stderr: result.stderr }).toEqual({
    code: 0,
    signal: null,
    timedOut: false,
    stderr: '',
  });
  const { sum, expectedSum } = report<{ sum: number; expectedSum: number }>(result);
  expect(sum).toBe(expectedSum);
}

describe('a process that ends on its own', () => {
  it('drains its event loop without shutdown(): all 5,000 spans of 100 traces are in the files', async () => {
    const dir = tmp();
    const result = await run(SPANS, ['drain', '100', '50'], { env: { FLUXLOOP_OUTPUT_DIR: dir } });
    expectCleanExit(result);
    expectComplete(dir, 100, 50);
  });

  // The export worker never keeps a process alive while idle (its port is unref'd after its listeners are
  // attached, since attaching a 'message' listener refs it again): with the batch timer set to 10 minutes, the
  // drained loop reaches beforeExit, which hands the held spans over.
  it('drains its event loop with every span still held in the processor: all of them are written', async () => {
    const dir = tmp();
    const result = await run(SPANS, ['drain', '100', '50'], {
      env: { FLUXLOOP_OUTPUT_DIR: dir, ...HOLD_EVERYTHING },
      timeoutMs: 4000,
    });
    expectCleanExit(result);
    expectComplete(dir, 100, 50);
  });

  // A process that set FluxLoop up but never ended a span (nothing traced yet, or every trace sampled out).
  it('exits on its own when FluxLoop is set up but no span was ever ended', async () => {
    const [configured, sampledOut] = await Promise.all([
      run(LIFECYCLE, ['configure-only'], { env: { FLUXLOOP_OUTPUT_DIR: tmp() }, timeoutMs: 4000 }),
      run(SPANS, ['drain', '10', '5'], {
        env: { FLUXLOOP_OUTPUT_DIR: tmp(), FLUXLOOP_SAMPLE_RATE: '0' },
        timeoutMs: 4000,
      }),
    ]);
    expect(report(configured!)).toMatchObject({ step: 'configured' });
    expect(report(sampledOut!)).toMatchObject({ sum: 200, expectedSum: 200 });
    for (const result of [configured!, sampledOut!]) {
      expect({ code: result.code, timedOut: result.timedOut, stderr: result.stderr }).toEqual({
        code: 0,
        timedOut: false,
        stderr: '',
      });
      expect(result.ms).toBeLessThan(3000);
    }
  });

  it('calls process.exit(0) right after the last span ended: every record is in the files', async () => {
    const runs = [{}, HOLD_EVERYTHING].map(async (env) => {
      const dir = tmp();
      const result = await run(SPANS, ['exit', '100', '50'], { env: { FLUXLOOP_OUTPUT_DIR: dir, ...env } });
      return { dir, result };
    });
    for (const { dir, result } of await Promise.all(runs)) {
      expectCleanExit(result);
      expectComplete(dir, 100, 50);
    }
  });
});

/** Lines of a file that do not parse, and whether it ends with a newline (no partial tail). A missing file is empty. */
function inspectLines(file: string) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const unparseable: string[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      JSON.parse(line);
    } catch {
      unparseable.push(`line ${i + 1} (${line.length} chars): ${line.slice(0, 60)}…${line.slice(-40)}`);
    }
  }
  return {
    lines: lines.length,
    endsWithNewline: tail === '',
    partialTail: tail === '' ? '' : `${tail.length} chars, ending …${tail.slice(-40)}`,
    unparseable,
  };
}

describe('a process killed with SIGKILL', () => {
  // A write() larger than a page is not atomic against SIGKILL (the kernel checks for a fatal signal between
  // pages), so a kill timed to land mid-write can leave an unterminated tail. What must hold: every complete
  // (newline-terminated) line parses, so nothing written before the kill is damaged, and no two records share a
  // line. The next test covers what a later writer does with such a tail.
  it('while writing continuously: every complete line parses; only an unterminated tail can be partial', async () => {
    // Three kills, each timed to land during a write; every one must leave whole files.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const dir = tmp();
      const file = path.join(dir, 'observations.jsonl');
      // 10 spans per trace with inputs up to 20 KB: batches of several MB, so a write takes a while.
      const child = start(SPANS, ['forever', '0', '10', '20000'], { env: { FLUXLOOP_OUTPUT_DIR: dir } });
      const size = () => (fs.existsSync(file) ? fs.statSync(file).size : 0);
      expect(await until(() => size() > 0, 15_000)).toBe(true);
      // The file is growing. Kill the moment a write is seen in progress: the size has grown to a page boundary
      // (the kernel extends the file page by page while it copies one large write); after 5 s anyway.
      let previous = size();
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const now = size();
        if (now > previous && now % 4096 === 0) break;
        previous = now;
      }
      child.child.kill('SIGKILL');
      const result = await child.done;
      expect(result.signal).toBe('SIGKILL');

      const observations = inspectLines(file);
      const traces = inspectLines(path.join(dir, 'traces.jsonl'));
      expect(observations.lines).toBeGreaterThan(0);
      expect({ attempt, observations, traces }).toMatchObject({
        attempt,
        observations: { unparseable: [] },
        traces: { unparseable: [] },
      });
    }
  });

  // A later writer ends such a tail with a newline before its first append, so none of its records is lost.
  it('leaves a torn tail that a later process appends to on a fresh line, losing none of its records', async () => {
    const dir = tmp();
    const whole = JSON.stringify({ id: 'earlier', trace_id: 'earlier' });
    const torn = '{"schema_version":"1.0","id":"torn-by-sigkill","inp';
    for (const name of ['observations.jsonl', 'traces.jsonl'])
      fs.writeFileSync(path.join(dir, name), `${whole}\n${torn}`);

    const result = await run(SPANS, ['drain', '10', '5'], { env: { FLUXLOOP_OUTPUT_DIR: dir } });
    expectCleanExit(result);
    for (const [name, expected] of [
      ['observations.jsonl', 50],
      ['traces.jsonl', 10],
    ] as const) {
      const lines = fs.readFileSync(path.join(dir, name), 'utf8').split('\n').filter(Boolean);
      const unparseable = lines.filter((l) => {
        try {
          JSON.parse(l);
          return false;
        } catch {
          return true;
        }
      });
      // The earlier whole line and every record of the new process parse; only the torn fragment itself is lost.
      expect({ name, unparseable }).toEqual({ name, unparseable: [torn] });
      expect(lines.length - unparseable.length).toBe(1 + expected);
    }
  });
});

describe('installSignalHandlers()', () => {
  it('flushes on SIGTERM and SIGINT, then dies of the signal; without it the held spans are lost', async () => {
    const cases = [
      { signal: 'SIGTERM', handlers: true },
      { signal: 'SIGINT', handlers: true },
      { signal: 'SIGTERM', handlers: false },
    ] as const;
    const runs = cases.map(async ({ signal, handlers }) => {
      const dir = tmp();
      // Spans are held in the processor (long batch delay) while the child idles: only a flush writes them.
      const child = start(SPANS, ['signal', '20', '10'], {
        env: { FLUXLOOP_OUTPUT_DIR: dir, ...HOLD_EVERYTHING, ...(handlers ? {} : { NO_HANDLERS: '1' }) },
      });
      expect(await until(() => child.stdout().includes('"ready":true'), 15_000)).toBe(true);
      const beforeSignal = readOutput(dir).observations.records.length;
      child.child.kill(signal);
      return { dir, signal, handlers, beforeSignal, result: await child.done };
    });
    for (const { dir, signal, handlers, beforeSignal, result } of await Promise.all(runs)) {
      expect(beforeSignal).toBe(0);
      expect({ code: result.code, signal: result.signal, timedOut: result.timedOut }).toEqual({
        code: null,
        signal,
        timedOut: false,
      });
      if (handlers) expectComplete(dir, 20, 10);
      else expect(readOutput(dir).observations.records).toHaveLength(0);
    }
  });
});

interface Step {
  step: string;
  value?: unknown;
  rejected?: string;
  ms?: number;
  [key: string]: unknown;
}

function steps(result: ChildResult): Record<string, Step> {
  const out: Record<string, Step> = {};
  for (const line of result.stdout.split('\n').filter(Boolean)) {
    const step = JSON.parse(line) as Step;
    out[step.step] = step;
  }
  return out;
}

describe('forceFlush() and shutdown()', () => {
  it('resolve true once everything is stored; shutdown() is idempotent; afterwards wrappers pass through', async () => {
    const dir = tmp();
    // A long batch delay: the records can only be on disk after forceFlush() if forceFlush() wrote them.
    const result = await run(LIFECYCLE, ['file'], {
      env: { FLUXLOOP_OUTPUT_DIR: dir, OTEL_BSP_SCHEDULE_DELAY: '600000' },
      nodeArgs: ['--unhandled-rejections=strict'],
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const s = steps(result);
    // 20 traces: sum(i) is one agent span and i tool spans.
    const observations = 20 + (19 * 20) / 2;
    expect(s.calls!.results).toEqual(Array.from({ length: 20 }, (_, i) => (i === 0 ? 0 : (i * (i - 1)) / 2)));
    expect(s.before).toMatchObject({ traces: 0, observations: 0 });
    expect(s.forceFlush).toMatchObject({ value: true, traces: 20, observations });
    expect(s.shutdown).toMatchObject({
      concurrent: [true, true],
      again: { value: true },
      delegate: false,
      traces: 20,
      observations,
    });
    // Results are still right, forceFlush() still resolves true, and nothing more is written (not even at exit).
    expect(s.after).toMatchObject({ after: [21, 5, true], traces: 20, observations });
    const files = readOutput(dir);
    expect([files.traces.records.length, files.observations.records.length]).toEqual([20, observations]);
  });

  // InlineHost bounds a custom storage's flush()/shutdown() by the caller's timeout.
  it('resolve false within the timeout, never hang or reject, when a custom storage never settles', async () => {
    const [flushFirst, shutdownOnly] = await Promise.all(
      ['flush', 'shutdown'].map((variant) =>
        run(LIFECYCLE, ['hang', variant], { nodeArgs: ['--unhandled-rejections=strict'], timeoutMs: 6000 }),
      ),
    );
    for (const result of [flushFirst!, shutdownOnly!]) {
      const s = steps(result);
      expect(s.guard, 'a step was still pending after 3 s').toBeUndefined();
      expect({ code: result.code, stderr: sdkWarnings(result.stderr).length <= 1 }).toEqual({ code: 0, stderr: true });
      expect(s.calls!.results).toEqual([45, 6]);
      for (const name of ['shutdown', 'shutdown-again']) {
        expect(s[name]).toBeDefined();
        expect(s[name]!.rejected).toBeUndefined();
        expect(typeof s[name]!.value).toBe('boolean');
        expect(s[name]!.ms).toBeLessThan(1500);
      }
      expect(s.shutdown!.value).toBe(false);
      expect(s.after).toMatchObject({ result: 10 });
    }
    const f = steps(flushFirst!).forceFlush;
    expect(f).toMatchObject({ value: false });
    expect(f!.ms).toBeGreaterThanOrEqual(250);
    expect(f!.ms).toBeLessThan(1500);
  });
});
