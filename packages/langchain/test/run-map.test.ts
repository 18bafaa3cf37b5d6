import { RunnableLambda } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { isInterrupted, MemorySaver } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { traced } from './helpers/env.js';
import { approval } from './helpers/graphs.js';
import { resetFluxLoop } from './helpers/sdk.js';

afterEach(resetFluxLoop);

const double = tool(
  async ({ n }) => {
    if (n % 7 === 0) throw new Error(`cannot double ${n}`);
    return n * 2;
  },
  { name: 'double', description: 'Doubles a number', schema: z.object({ n: z.number() }) },
);

const parse = RunnableLambda.from(async (n: number) => {
  if (n % 5 === 0) throw new Error(`cannot parse ${n}`);
  return String(n);
}).withConfig({ runName: 'parse' });

describe('the run map', () => {
  it('is empty after 10,000 runs, some failing and some interrupted', async () => {
    const env = await traced();
    const { handler } = env;
    const graph = approval(new MemorySaver());
    const tallies = { spans: 0, errors: 0 };
    const collect = () => {
      const spans = env.spans();
      tallies.spans += spans.length;
      tallies.errors += spans.filter((s) => s.status.code === 2).length;
      env.exporter.reset();
    };

    // 98 waves of 100 concurrent tool and chain calls (9,800 runs), then 100 interrupted graph runs (200 visible runs).
    for (let wave = 0; wave < 98; wave++) {
      const calls = Array.from({ length: 100 }, (_, j) => {
        const n = wave * 100 + j;
        const run = n % 2 ? double.invoke({ n }, { callbacks: [handler] }) : parse.invoke(n, { callbacks: [handler] });
        return run.catch(() => undefined);
      });
      await Promise.all(calls);
      collect();
    }
    const interrupted = Array.from({ length: 100 }, (_, i) =>
      graph.invoke({ steps: [] }, { callbacks: [handler], configurable: { thread_id: `t-${i}` } }),
    );
    expect((await Promise.all(interrupted)).every((r) => isInterrupted(r))).toBe(true);
    collect();

    const failingTools = Array.from({ length: 4900 }, (_, i) => 2 * i + 1).filter((n) => n % 7 === 0).length;
    const failingChains = Array.from({ length: 4900 }, (_, i) => 2 * i).filter((n) => n % 5 === 0).length;
    expect(tallies).toEqual({ spans: 10_000, errors: failingTools + failingChains });
    expect(handler.openRuns).toBe(0);
    expect(handler.abandonedRuns).toBe(0);
  });

  it('is bounded: runs that never end are closed as abandoned, oldest first', async () => {
    const env = await traced({ maxOpenRuns: 3 });
    const model = new FakeListChatModel({ responses: ['a long answer'] });
    // A consumer that stops reading model.stream(): LangChain never reports the end of that run.
    for (let i = 0; i < 5; i++) {
      for await (const _ of await model.stream('hi', { ...env.config, runName: `stream-${i}` })) break;
    }
    expect([env.handler.openRuns, env.handler.abandonedRuns]).toEqual([3, 2]);
    expect(env.spans().map((s) => [s.name, s.attributes['fluxloop.run.abandoned']])).toEqual([
      ['stream-0', true],
      ['stream-1', true],
    ]);

    await RunnableLambda.from((x: number) => x + 1).invoke(1, env.config);
    expect([env.handler.openRuns, env.handler.abandonedRuns]).toEqual([2, 3]);
    const last = env.spans().at(-1)!;
    expect([last.name, last.attributes['fluxloop.run.abandoned']]).toEqual(['RunnableLambda', undefined]);
    expect((await env.records()).traces.map((t) => [t.name, t.status])).toEqual([
      ['stream-0', 'success'],
      ['stream-1', 'success'],
      ['stream-2', 'success'],
      ['RunnableLambda', 'success'],
    ]);
  });
});
