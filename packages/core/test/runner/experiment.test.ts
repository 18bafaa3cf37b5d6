import { agent, tool } from '@fluxloop/sdk';
import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/index.js';
import { experimentIn, functionTarget, runsByInput } from './experiment-helpers.js';

const lookup = tool(async function lookup(id: string) {
  return { id, status: 'shipped' };
});

/** An agent with a nested tool call: three observations per run with the runner's root. */
const supportAgent = agent(async function supportAgent(question: string) {
  const order = await lookup(question.slice(-4));
  return `order ${order.id} is ${order.status}`;
});

describe('runs and traces', () => {
  it('one trace per run with the experiment fields; artifacts validate and agree', async () => {
    const { result, artifacts, problems } = await experimentIn({
      inputs: ['where is A-1001', 'where is A-1002'],
      personas: ['novice', 'expert'],
      simulation: 'iterations: 2\nname: nightly\ntags: [regression]\nmetadata: { build: 42 }',
      target: () => functionTarget((input) => supportAgent(input)),
    });
    expect(problems).toEqual([]);
    expect(artifacts.traceSummaries).toHaveLength(8);
    expect(artifacts.traces).toHaveLength(8);
    expect(artifacts.observations).toHaveLength(24);
    const trace = artifacts.traces.find(
      (t) => t.iteration === 1 && t.persona === 'expert' && t.input === 'where is A-1002',
    );
    expect(trace).toMatchObject({
      name: 'nightly',
      status: 'success',
      experiment_id: result.experimentId,
      iteration: 1,
      persona: 'expert',
      input: 'where is A-1002',
      output: 'order 1002 is shipped',
      error: null,
      tags: ['regression'],
      metadata: { build: 42 },
      service_name: 'demo',
      observation_count: 3,
    });
    const root = artifacts.observations.find((o) => o.id === trace!.root_observation_id);
    expect(root).toMatchObject({ type: 'span', name: './agent.ts:run', parent_observation_id: null });
    expect(artifacts.summary).toMatchObject({
      experiment_id: result.experimentId,
      name: 'nightly',
      status: 'completed',
      results: { total_runs: 8, successful: 8, failed: 0, success_rate: 1 },
    });
  });

  it('a throwing agent: error status on the trace, the error in trace_summary, the run counted as failed', async () => {
    const failing = agent(async function failing(input: string) {
      if (input === 'bad') throw new TypeError('cannot parse "bad"');
      return 'fine';
    });
    const { artifacts, problems } = await experimentIn({
      inputs: ['bad', 'good'],
      target: () => functionTarget((input) => failing(input)),
    });
    expect(problems).toEqual([]);
    expect(runsByInput(artifacts)).toEqual([
      { input: 'bad', success: false, error: 'TypeError: cannot parse "bad"', output: null, attempts: 1 },
      { input: 'good', success: true, error: null, output: 'fine', attempts: 1 },
    ]);
    const failed = artifacts.traces.find((t) => t.input === 'bad');
    expect(failed).toMatchObject({ status: 'error', error: 'TypeError: cannot parse "bad"', observation_count: 2 });
    expect(artifacts.summary.results).toMatchObject({ total_runs: 2, successful: 1, failed: 1, success_rate: 0.5 });
  });
});

describe('orchestration: pool, timeouts, retries', () => {
  it('never more runs in flight than concurrency', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { artifacts } = await experimentIn({
      inputs: Array.from({ length: 12 }, (_, i) => `q${i}`),
      simulation: 'concurrency: 3',
      target: () =>
        functionTarget(async (input) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 10));
          inFlight--;
          return input;
        }),
    });
    expect(maxInFlight).toBe(3);
    expect(artifacts.summary.results.total_runs).toBe(12);
  });

  it('a hanging run times out, its signal is aborted, its late spans are dropped, the others go on', async () => {
    const signals: AbortSignal[] = [];
    const hangingTool = tool(async function waitForever(ctx: RunContext) {
      signals.push(ctx.signal);
      // Ends only once the runner gave up on the run, so this span and its agent's end late.
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      return 'too late';
    });
    const maybeHang = agent(async function maybeHang(input: string, ctx: RunContext) {
      return input === 'hang' ? hangingTool(ctx) : `ok:${input}`;
    });
    const { result, artifacts, problems } = await experimentIn({
      inputs: ['a', 'hang', 'b'],
      simulation: 'concurrency: 3\ntimeout_seconds: 0.3',
      target: () => functionTarget((input, ctx) => maybeHang(input, ctx)),
    });
    expect(problems).toEqual([]);
    const error = 'TimeoutError: the run did not finish within 0.3 s (timeout_seconds)';
    expect(runsByInput(artifacts)).toEqual([
      { input: 'a', success: true, error: null, output: 'ok:a', attempts: 1 },
      { input: 'b', success: true, error: null, output: 'ok:b', attempts: 1 },
      { input: 'hang', success: false, error, output: null, attempts: 1 },
    ]);
    expect(signals.map((s) => [s.aborted, String(s.reason)])).toEqual([[true, `Error: ${error}`]]);
    const hung = artifacts.traces.find((t) => t.input === 'hang')!;
    const unfinished = artifacts.observations
      .filter((o) => o.trace_id === hung.trace_id && o.parent_observation_id !== null)
      .map((o) => [o.name, o.status_message]);
    expect(unfinished.sort()).toEqual([
      ['maybeHang', 'unfinished: the run timed out'],
      ['waitForever', 'unfinished: the run timed out'],
    ]);
    expect(result.spans).toMatchObject({ unfinishedSpans: 2, droppedSpans: 2, lateSpans: 2 });
  });

  it('a run that never settles does not block the others', async () => {
    const { artifacts } = await experimentIn({
      inputs: ['hang', 'a', 'b', 'c'],
      simulation: 'concurrency: 2\ntimeout_seconds: 0.2',
      target: () => functionTarget((input) => (input === 'hang' ? new Promise(() => {}) : input)),
    });
    expect(runsByInput(artifacts).map((r) => [r.input, r.success])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['hang', false],
    ]);
  });

  it('retries: the last attempt is kept and trace_summary says how many attempts it took', async () => {
    const attempts = new Map<string, number>();
    const flaky = agent(async function flaky(input: string) {
      const n = (attempts.get(input) ?? 0) + 1;
      attempts.set(input, n);
      if (input === 'broken' || (input === 'flaky' && n < 3)) throw new Error(`attempt ${n} failed`);
      return `${input} after ${n}`;
    });
    const { result, artifacts, problems } = await experimentIn({
      inputs: ['broken', 'fine', 'flaky'],
      simulation: 'retries: 2',
      target: () => functionTarget((input) => flaky(input)),
    });
    expect(problems).toEqual([]);
    expect(runsByInput(artifacts)).toEqual([
      { input: 'broken', success: false, error: 'Error: attempt 3 failed', output: null, attempts: 3 },
      { input: 'fine', success: true, error: null, output: 'fine after 1', attempts: 1 },
      { input: 'flaky', success: true, error: null, output: 'flaky after 3', attempts: 3 },
    ]);
    // Two runs each threw away two attempts of two spans (root and agent); only kept attempts reach the files.
    expect(result.spans.discardedSpans).toBe(8);
    expect(artifacts.observations).toHaveLength(6);
  });
});
