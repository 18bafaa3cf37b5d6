import type { ExperimentResult, ExperimentStarted, RunReport } from '@fluxloop/core';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/io.js';
import { progressBar, RunProgress } from '../src/progress.js';
import { formatDuration, runLine, summaryText } from '../src/render-run.js';
import { styleFor } from '../src/style.js';

const plain = styleFor({ out() {}, err() {}, env: {}, cwd: '/' });

function capture(tty: boolean, env: Record<string, string> = {}) {
  const chunks: string[] = [];
  const io: Io = { out() {}, err: (t) => chunks.push(t), env, cwd: '/work/project', errIsTTY: tty, columns: 80 };
  return { io, chunks, text: () => chunks.join('') };
}

const STARTED: ExperimentStarted = {
  experimentId: '20261122-100405-a1b2c3',
  dir: '/work/project/experiments/20261122-100405-a1b2c3',
  name: 'nightly',
  totalRuns: 20,
  entries: 10,
  iterations: 2,
  concurrency: 4,
  target: './agent.ts:run',
};

function report(i: number, success = true): RunReport {
  return {
    runId: `i0-e${i}`,
    iteration: 0,
    entryIndex: i,
    persona: i % 2 ? 'expert' : null,
    input: `question number ${i}`,
    output: success ? { answer: i } : null,
    status: success ? 'success' : 'error',
    success,
    error: success ? null : 'Error: boom',
    durationMs: 1500,
    attempts: 1,
    traceId: null,
  };
}

/** Feeds `runs` finished runs (every fifth failing) through a RunProgress; `tick` runs before each. */
function feed(progress: RunProgress, runs: number, tick: () => void = () => {}) {
  progress.reporter.started?.(STARTED);
  let failed = 0;
  for (let i = 1; i <= runs; i++) {
    const ok = i % 5 !== 0;
    if (!ok) failed++;
    tick();
    progress.reporter.runFinished?.(report(i, ok), { done: i, total: 20, failed });
  }
}

describe('progress rendering', () => {
  it('progressBar: done/total, failures, rate and ETA fitted to the terminal width', () => {
    const state = { done: 5, total: 20, failed: 1, elapsedMs: 2000 };
    expect(progressBar(state, 80, plain)).toBe(
      `[${'█'.repeat(10)}${'░'.repeat(29)}] 5/20  1 failed  2.5 runs/s  ETA 6.0 s`,
    );
    for (const columns of [60, 80, 200]) expect(progressBar(state, columns, plain).length).toBeLessThanOrEqual(columns);
    expect(progressBar({ ...state, done: 0, elapsedMs: 0 }, 40, plain)).toBe(
      `[${'░'.repeat(10)}] 0/20  1 failed  0.0 runs/s  ETA …`,
    );
  });

  it('not a terminal: a plain line at every tenth of the runs (at most one a second), nothing redrawn', () => {
    const out = capture(false);
    let clock = 0;
    const progress = new RunProgress(out.io, plain, { verbose: false, now: () => clock });
    feed(progress, 20, () => {
      clock += 1000;
    });
    const lines = out.text().split('\n').slice(2).filter(Boolean);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('2/20 runs done, 0 failed (1.0 runs/s)');
    expect(lines[9]).toBe('20/20 runs done, 4 failed (1.0 runs/s)');
    expect(out.text()).not.toContain('\r');
    const fast = capture(false);
    let fastClock = 0;
    feed(new RunProgress(fast.io, plain, { verbose: false, now: () => fastClock }), 20, () => {
      fastClock += 300;
    });
    // Every tenth is 0.6 s apart here: every other one is printed.
    expect(fast.text().split('\n').slice(2).filter(Boolean)).toEqual([
      '2/20 runs done, 0 failed (3.3 runs/s)',
      '6/20 runs done, 1 failed (3.3 runs/s)',
      '10/20 runs done, 2 failed (3.3 runs/s)',
      '14/20 runs done, 2 failed (3.3 runs/s)',
      '18/20 runs done, 3 failed (3.3 runs/s)',
    ]);
  });

  it('not a terminal with --verbose: one line per finished run', () => {
    const out = capture(false);
    feed(new RunProgress(out.io, plain, { verbose: true }), 5);
    expect(out.text().split('\n').slice(2, 7)).toEqual([
      '✓ i0-e1 expert 1.5 s  question number 1 → {"answer":1}',
      '✓ i0-e2 1.5 s  question number 2 → {"answer":2}',
      '✓ i0-e3 expert 1.5 s  question number 3 → {"answer":3}',
      '✓ i0-e4 1.5 s  question number 4 → {"answer":4}',
      '✗ i0-e5 expert 1.5 s  Error: boom',
    ]);
  });

  it('a terminal: the bar is redrawn in place at most every redrawMs and cleared at the end', () => {
    const out = capture(true, { NO_COLOR: '1' });
    let clock = 0;
    const progress = new RunProgress(out.io, styleFor(out.io), { verbose: false, redrawMs: 1000, now: () => clock });
    feed(progress, 20, () => {
      clock += 400;
    });
    progress.finish();
    const draws = out.chunks.filter((c) => c.startsWith('\r\u001b[2K['));
    // At the start, then every third run (1.2 s since the last draw >= 1 s), and for the last run.
    expect(draws.length).toBe(8);
    expect(draws.at(-1)).toContain('20/20  4 failed');
    expect(out.chunks.at(-1)).toBe('\r\u001b[2K');
    expect(out.text()).not.toContain('\u001b[3'); // NO_COLOR: no colour codes
  });

  it('colour only on a terminal without NO_COLOR', () => {
    const tty = capture(true);
    expect(runLine(report(5, false), styleFor(tty.io))).toBe(
      '\u001b[31m✗\u001b[39m i0-e5 expert 1.5 s  \u001b[31mError: boom\u001b[39m\n',
    );
    expect(runLine(report(5, false), styleFor(capture(true, { NO_COLOR: '1' }).io))).toBe(
      '✗ i0-e5 expert 1.5 s  Error: boom\n',
    );
  });
});

describe('the final summary', () => {
  const result = (status: 'completed' | 'interrupted', failed: number) =>
    ({
      experimentId: STARTED.experimentId,
      dir: STARTED.dir,
      failOnRunErrors: true,
      spans: { droppedSpans: 0, lateSpans: 0, discardedSpans: 0, unfinishedSpans: 0 },
      summary: {
        status,
        results: {
          total_runs: 20,
          successful: 20 - failed,
          failed,
          success_rate: (20 - failed) / 20,
          duration: { avg_ms: 900, p50_ms: 812.4, p95_ms: 2450, max_ms: 125_000 },
          token_usage: { input_tokens: 12_000, output_tokens: 3456, total_tokens: 15_456 },
        },
      },
    }) as unknown as ExperimentResult;

  it('runs, failures, success rate, latency, tokens and the folder (relative to the working directory)', () => {
    expect(summaryText(result('completed', 2), '/work/project', plain)).toBe(
      [
        '✗ 20 runs: 18 succeeded, 2 failed (success rate 90.0%)',
        '  latency  p50 812 ms · p95 2.5 s · max 2m 05s',
        '  tokens   15,456 (12,000 in, 3,456 out)',
        '  results  experiments/20261122-100405-a1b2c3/',
        '',
      ].join('\n'),
    );
    expect(summaryText(result('interrupted', 0), '/elsewhere', plain).split('\n')[0]).toBe(
      'Interrupted: 20 runs recorded: 20 succeeded, 0 failed (success rate 100.0%)',
    );
    expect(summaryText(result('completed', 0), '/elsewhere', plain)).toContain(`results  ${STARTED.dir}/`);
  });

  it('formatDuration', () => {
    expect([0.4, 999.6, 1000, 59_949, 61_000].map(formatDuration)).toEqual([
      '0 ms',
      '1000 ms',
      '1.0 s',
      '59.9 s',
      '1m 01s',
    ]);
  });
});
