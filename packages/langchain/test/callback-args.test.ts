import { afterEach, describe, expect, it } from 'vitest';
import { traced } from './helpers/env.js';
import { twoSteps } from './helpers/graphs.js';
import { RecordingHandler } from './helpers/recording-handler.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

afterEach(resetFluxLoop);

describe('the arguments CallbackManager really passes to handleChainStart', () => {
  // @langchain/core 1.4 declares a different parameter order than CallbackManager uses (see STACK.md).
  it('are (chain, inputs, runId, parentRunId, tags, metadata, runType, runName)', async () => {
    const env = await traced();
    const handler = new RecordingHandler({ name: 'recording_handler' });
    await twoSteps().invoke({ steps: [] }, { callbacks: [handler] });

    const byName = new Map(handler.chainStarts.map((args) => [args[7], args]));
    const graph = byName.get('LangGraph')!;
    const first = byName.get('first')!;
    expect(graph[0]).toMatchObject({ id: ['langgraph', 'pregel', 'CompiledStateGraph'] });
    expect(graph[1]).toEqual({ steps: [] });
    expect(typeof graph[2]).toBe('string');
    expect(graph[3]).toBeUndefined();
    expect(first[3]).toBe(graph[2]);
    expect(first[4]).toEqual(expect.arrayContaining(['graph:step:1']));
    expect(first[5]).toMatchObject({ langgraph_node: 'first', langgraph_step: 1 });
    expect(first[6]).toBeUndefined();
    expect(first[7]).toBe('first');

    // And the handler built its tree from exactly those arguments.
    expect(env.spanTree()).toBe(tree`
      LangGraph [agent]
        first [chain]
        second [chain]
    `);
  });
});
