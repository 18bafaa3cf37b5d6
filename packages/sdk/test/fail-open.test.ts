/**
 * The SDK fails open: its own failures (storage, serialization) never reach the application's calls, never leave
 * an unhandled rejection, and are reported once rather than once per batch. Every child runs with
 * --unhandled-rejections=strict, so an unhandled rejection would end it with a non-zero code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildResult, fixture, readOutput, removeTemps, report, run, sdkWarnings, tmp } from './helpers/child.js';

afterAll(removeTemps);

const FAIL_OPEN = fixture('fail-open.mjs');
const STRICT = ['--unhandled-rejections=strict'];
/** Many small batches: a problem reported once per batch would show up dozens of times. */
const SMALL_BATCHES = { OTEL_BSP_SCHEDULE_DELAY: '1', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10' };

interface Report {
  resultsOk?: boolean;
  results?: unknown[];
  flushed?: boolean;
  shutdown?: boolean;
  afterShutdown?: boolean;
  received: { appends: number; observations: number; traces: number };
  [key: string]: unknown;
}

/** Exit code 0 and stderr made only of the SDK's own `[fluxloop]` lines (no stack, no rejection warning). */
function expectOnlySdkStderr(result: ChildResult): string[] {
  expect({ code: result.code, signal: result.signal, timedOut: result.timedOut }).toEqual({
    code: 0,
    signal: null,
    timedOut: false,
  });
  const other = result.stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('[fluxloop]'));
  expect(other).toEqual([]);
  return sdkWarnings(result.stderr);
}

/** 60 agent calls, each: tool, generation, generator span, an event, a tool that throws (caught by the agent). */
function expectResultsUntouched(r: Report): void {
  expect(r.resultsOk).toBe(true);
  expect(r.results).toHaveLength(60);
  expect(r.results![59]).toEqual({
    a: { id: 'q59', found: true },
    b: 're: where is my order?',
    steps: [0, 1, 2],
    caught: true,
    n: 59,
  });
  expect(r.afterShutdown).toBe(true);
}

describe('storage failures', () => {
  it('an output directory that cannot be created: results untouched, reported once, no unhandled rejection', async () => {
    const cwd = tmp();
    const blocker = path.join(cwd, 'not-a-dir');
    fs.writeFileSync(blocker, 'a regular file where a folder should be\n');
    const outputDir = path.join(blocker, 'traces');
    const result = await run(FAIL_OPEN, ['unwritable'], {
      cwd,
      env: { FLUXLOOP_OUTPUT_DIR: outputDir, ...SMALL_BATCHES },
      nodeArgs: STRICT,
    });
    const warnings = expectOnlySdkStderr(result);
    const r = report<Report>(result);
    expectResultsUntouched(r);
    expect([typeof r.flushed, typeof r.shutdown]).toEqual(['boolean', 'boolean']);

    // The problem (mkdir fails with ENOTDIR) is named with its path, at most once per file, however many
    // batches failed; the final count of lost records is reported too. 60 traces × (6 observations + 1 trace).
    const aboutDir = warnings.filter((w) => w.includes('ENOTDIR'));
    expect(aboutDir.length).toBeGreaterThanOrEqual(1);
    expect(aboutDir.filter((w) => w.includes('observations.jsonl')).length).toBeLessThanOrEqual(1);
    expect(aboutDir.filter((w) => w.includes('traces.jsonl')).length).toBeLessThanOrEqual(1);
    expect(aboutDir.every((w) => w.includes(outputDir))).toBe(true);
    expect(warnings.filter((w) => /\b420 records not stored\b/.test(w))).toHaveLength(1);
    expect(warnings.length).toBeLessThanOrEqual(3);
    expect(fs.readFileSync(blocker, 'utf8')).toBe('a regular file where a folder should be\n');
    expect(fs.readdirSync(cwd)).toEqual(['not-a-dir']);
  });

  it('a custom storage whose append() throws: results untouched, reported once, later batches still offered', async () => {
    const result = await run(FAIL_OPEN, ['append-throws'], { nodeArgs: STRICT });
    const warnings = expectOnlySdkStderr(result);
    const r = report<Report>(result);
    expectResultsUntouched(r);
    expect(r.flushed).toBe(true);
    expect(r.shutdown).toBe(true);
    // A throwing append does not stop the pipeline: every batch (of 10 spans) reached the storage.
    expect(r.received).toEqual({ appends: expect.any(Number), observations: 360, traces: 60 });
    expect(r.received.appends).toBeGreaterThanOrEqual(30);
    const aboutAppend = warnings.filter((w) => w.includes('append exploded'));
    expect(aboutAppend).toHaveLength(1);
    expect(aboutAppend[0]).toContain('append exploded #1');
  });

  it('a custom storage whose flush() and shutdown() reject: both resolve false, nothing rejects, reported', async () => {
    const result = await run(FAIL_OPEN, ['flush-rejects'], { nodeArgs: STRICT });
    const warnings = expectOnlySdkStderr(result);
    const r = report<Report>(result);
    expectResultsUntouched(r);
    expect(r.flushed).toBe(false);
    expect(r.shutdown).toBe(false);
    expect(r.received).toMatchObject({ observations: 360, traces: 60 });
    expect(warnings.filter((w) => w.includes('exploded')).length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(3);
  });
});

describe('serializer failures', () => {
  it('arguments and results whose getters, traps or toJSON throw: the call is unaffected, the span recorded', async () => {
    const dir = tmp();
    const result = await run(FAIL_OPEN, ['serializer'], {
      env: { FLUXLOOP_OUTPUT_DIR: dir, FLUXLOOP_CAPTURE_CONTENT: 'full' },
      nodeArgs: STRICT,
    });
    expect(expectOnlySdkStderr(result)).toEqual([]);
    expect(report(result)).toMatchObject({
      sameArgs: [true, true, true, true, true, true],
      sameResult: true,
      sameAsyncResult: true,
      flushed: true,
    });
    const { observations, traces } = readOutput(dir);
    expect(traces.records).toHaveLength(2);
    const echo = observations.records.find((o) => o.name === 'echo')!;
    const asyncEcho = observations.records.find((o) => o.name === 'asyncEcho')!;
    // What could not be read is marked in place; the rest of the payload is kept.
    expect(echo.input).toEqual([
      { ok: 1, boom: expect.stringContaining('getter exploded') },
      expect.stringContaining('exploded'),
      expect.stringContaining('toJSON exploded'),
      { name: 'cyclic', self: expect.any(String) },
      expect.stringContaining('1000000000000000000000000000000'),
    ]);
    expect(echo.output).toEqual({ ok: 1, boom: expect.stringContaining('getter exploded') });
    expect(asyncEcho.output).toEqual(expect.stringContaining('toJSON exploded'));
  });

  // Telling a promise, generator or stream from a plain value reads properties of the result (then,
  // Symbol.toStringTag, Symbol.asyncIterator); when those reads throw, the result is a plain value.
  it('results whose property reads throw are returned untouched and still recorded', async () => {
    const dir = tmp();
    const result = await run(FAIL_OPEN, ['hostile-result'], { env: { FLUXLOOP_OUTPUT_DIR: dir }, nodeArgs: STRICT });
    expectOnlySdkStderr(result);
    expect(report(result)).toMatchObject({
      syncThenGetter: 'same',
      syncProxy: 'same',
      asyncProxy: 'same',
      flushed: true,
    });
    expect(readOutput(dir).observations.records).toHaveLength(3);
  });
});
