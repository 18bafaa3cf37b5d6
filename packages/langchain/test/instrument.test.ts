import { FluxLoopCallbackHandler, instrumentLangChain, uninstrumentLangChain } from '@fluxloop/langchain';
import { RunnableLambda } from '@langchain/core/runnables';
import { afterEach, describe, expect, it } from 'vitest';
import { traced } from './helpers/env.js';
import { twoSteps } from './helpers/graphs.js';
import { RecordingHandler } from './helpers/recording-handler.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

const attached: FluxLoopCallbackHandler[] = [];
/** instrumentLangChain(), remembered for detaching after the test. */
function attach(options?: Parameters<typeof instrumentLangChain>[0]): FluxLoopCallbackHandler {
  const handler = instrumentLangChain(options);
  attached.push(handler);
  return handler;
}
afterEach(async () => {
  // Context variables outlive a test: detach every handler a test attached.
  for (const handler of attached.splice(0)) uninstrumentLangChain(handler);
  await resetFluxLoop();
});

const TWO_STEPS = tree`
  LangGraph [agent]
    first [chain]
    second [chain]
`;

describe('instrumentLangChain()', () => {
  it('traces runs with no callbacks passed anywhere', async () => {
    const env = await traced();
    const handler = attach();
    await twoSteps().invoke({ steps: [] });
    await RunnableLambda.from((x: number) => x + 1).invoke(1);

    expect(env.spanTrees()).toEqual([TWO_STEPS, 'RunnableLambda [chain]']);
    expect(handler).toBeInstanceOf(FluxLoopCallbackHandler);
    expect(handler.openRuns).toBe(0);
    expect((await env.records()).traces).toHaveLength(2);
  });

  it('a second handler with a distinct name, passed explicitly, sees the runs too', async () => {
    const env = await traced();
    attach();
    const second = new RecordingHandler({ name: 'second_handler' });
    await twoSteps().invoke({ steps: [] }, { callbacks: [second] });

    // Each handler makes its own spans: two identical traces.
    expect(env.spanTrees()).toEqual([TWO_STEPS, TWO_STEPS]);
    expect(second.chainStarts.length).toBeGreaterThan(0);
  });

  it('the instrumented handler passed explicitly as well is not run twice', async () => {
    const env = await traced();
    const handler = attach();
    await twoSteps().invoke({ steps: [] }, { callbacks: [handler] });

    expect(env.spanTrees()).toEqual([TWO_STEPS]);
  });

  it('another handler under the same name passed explicitly replaces the instrumented one for that run', async () => {
    const env = await traced();
    attach();
    const explicit = new RecordingHandler();
    await twoSteps().invoke({ steps: [] }, { callbacks: [explicit] });

    expect(env.spanTrees()).toEqual([TWO_STEPS]);
    expect(explicit.chainStarts.length).toBeGreaterThan(0);
  });
});

describe('instrumentLangChain() twice', () => {
  // Each handler name has a context variable of its own, so a second call does not detach the first handler.
  it('with distinct names: both handlers see every run', async () => {
    const env = await traced();
    const first = attach({ name: 'first_handler' });
    const second = attach({ name: 'second_handler' });
    await twoSteps().invoke({ steps: [] });

    expect(env.spanTrees()).toEqual([TWO_STEPS, TWO_STEPS]);
    expect([first.openRuns, second.openRuns]).toEqual([0, 0]);
  });
});

describe('uninstrumentLangChain()', () => {
  it('stops the handler recording: later runs produce no spans', async () => {
    const env = await traced();
    const handler = instrumentLangChain({ name: 'detached_handler' });
    await twoSteps().invoke({ steps: [] });
    expect(env.spanTrees()).toEqual([TWO_STEPS]);
    uninstrumentLangChain(handler);
    await twoSteps().invoke({ steps: [] });
    expect(env.spanTrees()).toEqual([TWO_STEPS]);
    expect(handler.openRuns).toBe(0);
  });
});
