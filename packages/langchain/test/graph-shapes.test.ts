import { END, Send, START, StateGraph } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { traced, transitions } from './helpers/env.js';
import { Steps, step, twoSteps } from './helpers/graphs.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

afterEach(resetFluxLoop);

describe('graph shapes', () => {
  it('parallel branches (fan-out from START, fan-in) are sibling node spans under the graph span', async () => {
    const env = await traced();
    const graph = new StateGraph(Steps)
      .addNode('a', step('a'))
      .addNode('b', step('b'))
      .addNode('join', step('join'))
      .addEdge(START, 'a')
      .addEdge(START, 'b')
      .addEdge(['a', 'b'], 'join')
      .addEdge('join', END)
      .compile();
    expect((await graph.invoke({ steps: [] }, env.config)).steps).toEqual(['a', 'b', 'join']);

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent]
        a [chain]
        b [chain]
        join [chain]
    `);
    const [a, b, join] = ['a', 'b', 'join'].map((name) => env.span(name));
    expect([a, b].map((s) => s!.attributes['langgraph.step'])).toEqual([1, 1]);
    expect(join!.attributes['langgraph.step']).toBe(2);
    expect(await env.recordTree()).toBe(tree`
      LangGraph [agent]
        a [chain]
        b [chain]
        join [chain]
        state.transition [event]
        state.transition [event]
        state.transition [event]
    `);
  });

  it('Send fan-out runs one node span per message, all siblings', async () => {
    const env = await traced();
    const graph = new StateGraph(Steps)
      .addNode('worker', async (s: { steps: string[] }) => ({ steps: s.steps.map((x) => `did ${x}`) }))
      .addConditionalEdges(START, () => ['x', 'y', 'z'].map((x) => new Send('worker', { steps: [x] })))
      .addEdge('worker', END)
      .compile();
    expect((await graph.invoke({ steps: [] }, env.config)).steps).toEqual(['did x', 'did y', 'did z']);

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent]
        worker [chain]
        worker [chain]
        worker [chain]
    `);
    expect(env.handler.openRuns).toBe(0);
  });

  it('a subgraph used as a node: its graph span (agent) nests under the parent node (chain)', async () => {
    const env = await traced();
    const outer = new StateGraph(Steps)
      .addNode('before', step('before'))
      .addNode('billing', twoSteps('billing_graph'))
      .addEdge(START, 'before')
      .addEdge('before', 'billing')
      .addEdge('billing', END)
      .compile({ name: 'support_graph' });
    await outer.invoke({ steps: [] }, env.config);

    expect(env.spanTree()).toBe(tree`
      support_graph [agent]
        before [chain]
        billing [chain]
          billing_graph [agent]
            first [chain]
            second [chain]
    `);
    expect(await env.recordTree()).toBe(tree`
      support_graph [agent]
        before [chain]
        billing [chain]
          billing_graph [agent]
            first [chain]
            second [chain]
            state.transition [event]
            state.transition [event]
        state.transition [event]
        state.transition [event]
    `);
    expect(transitions(env.span('support_graph'))).toEqual([
      ['before', 1],
      ['billing', 2],
    ]);
    expect(transitions(env.span('billing_graph'))).toEqual([
      ['first', 1],
      ['second', 2],
    ]);
    expect(env.span('first').attributes['langgraph.checkpoint_ns']).toMatch(/^billing:[^|]+\|first:/);
    expect(env.span('billing_graph').attributes['gen_ai.agent.name']).toBe('billing_graph');
  });

  it('a graph invoked from inside a node function nests under that node without passing config', async () => {
    const env = await traced();
    const inner = twoSteps('inner_graph');
    const outer = new StateGraph(Steps)
      .addNode('delegate', async () => ({ steps: (await inner.invoke({ steps: [] })).steps }))
      .addEdge(START, 'delegate')
      .addEdge('delegate', END)
      .compile();
    expect((await outer.invoke({ steps: [] }, env.config)).steps).toEqual(['first', 'second']);

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent]
        delegate [chain]
          inner_graph [agent]
            first [chain]
            second [chain]
    `);
  });
});
