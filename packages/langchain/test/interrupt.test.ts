import { HumanMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { Command, END, interrupt, MemorySaver, START, StateGraph } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { traced } from './helpers/env.js';
import { agentLoop, approval, Steps, step } from './helpers/graphs.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

afterEach(resetFluxLoop);

const thread = (env: { config: object }, id: string) => ({ ...env.config, configurable: { thread_id: id } });

describe('interrupt() and resume', () => {
  it('the interrupting node ends with a langgraph.interrupt event, not an error; the trace succeeds', async () => {
    const env = await traced();
    const graph = approval(new MemorySaver(), { ask: 'ship it?' });
    const paused = await graph.invoke({ steps: [] }, thread(env, 'thread-7'));
    expect(paused).toHaveProperty('__interrupt__', [expect.objectContaining({ value: { ask: 'ship it?' } })]);

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent]
        ask [chain]
    `);
    expect(await env.recordTree()).toBe(tree`
      LangGraph [agent]
        ask [chain]
          langgraph.interrupt [event]
        state.transition [event]
    `);
    const event = env.span('ask').events.find((e) => e.name === 'langgraph.interrupt')!;
    expect(event.attributes?.['langgraph.interrupt.type']).toBe('GraphInterrupt');
    expect(JSON.parse(String(event.attributes?.['langgraph.interrupt.value']))).toMatchObject([
      { value: { ask: 'ship it?' } },
    ]);
    const { traces, observations } = await env.records();
    expect(observations.every((o) => o.level !== 'error')).toBe(true);
    expect(traces[0]).toMatchObject({ status: 'success', error: null, session_id: 'thread-7' });
    expect(env.handler.openRuns).toBe(0);
  });

  it('the resumed invocation (Command({ resume })) is a trace of its own with the same session id', async () => {
    const env = await traced();
    const graph = approval(new MemorySaver());
    await graph.invoke({ steps: [] }, thread(env, 'thread-8'));
    const resumed = await graph.invoke(new Command({ resume: 'approved' }), thread(env, 'thread-8'));
    expect(resumed.steps).toEqual(['approved', 'done']);

    expect(env.spanTrees()).toEqual([
      tree`
        LangGraph [agent]
          ask [chain]
      `,
      tree`
        LangGraph [agent]
          ask [chain]
          done [chain]
      `,
    ]);
    const { traces } = await env.records();
    expect(traces.map((t) => [t.status, t.session_id])).toEqual([
      ['success', 'thread-8'],
      ['success', 'thread-8'],
    ]);
    expect(traces[0]!.trace_id).not.toBe(traces[1]!.trace_id);
    expect(env.span('done').attributes['langgraph.step']).toBe(2);
    expect(env.handler.openRuns).toBe(0);
  });

  it('interrupt() inside a tool: the tool and its node end with the event; the resumed run finishes the loop', async () => {
    const env = await traced();
    const lookup = tool(async ({ orderId }) => `order ${orderId}: ${interrupt({ approve: orderId })}`, {
      name: 'lookup_order',
      description: 'Looks up an order once a human approves',
      schema: z.object({ orderId: z.string() }),
    });
    const graph = agentLoop({ tools: [lookup], checkpointer: new MemorySaver() });
    await graph.invoke({ messages: [new HumanMessage('A-1')] }, thread(env, 'thread-10'));
    const resumed = await graph.invoke(new Command({ resume: 'approved' }), thread(env, 'thread-10'));
    expect(resumed.messages.at(-1)?.content).toBe('Answer: order A-1: approved');

    const events = (name: string) =>
      env
        .spans()
        .filter((s) => s.name === name)
        .map((s) => s.events.map((e) => e.name));
    expect(events('lookup_order')).toEqual([['langgraph.interrupt'], []]);
    expect(events('tools')).toEqual([['langgraph.interrupt'], []]);
    expect(env.spans().filter((s) => s.status.code === 2)).toEqual([]);
    const { traces } = await env.records();
    expect(traces.map((t) => [t.status, t.session_id])).toEqual([
      ['success', 'thread-10'],
      ['success', 'thread-10'],
    ]);
    expect(env.handler.openRuns).toBe(0);
  });

  it('an interrupt inside a subgraph ends the subgraph and its parent node with the event, not with errors', async () => {
    const env = await traced();
    const outer = new StateGraph(Steps)
      .addNode('review', approval(new MemorySaver()))
      .addNode('after', step('after'))
      .addEdge(START, 'review')
      .addEdge('review', 'after')
      .addEdge('after', END)
      .compile({ checkpointer: new MemorySaver(), name: 'outer' });
    await outer.invoke({ steps: [] }, thread(env, 'thread-9'));

    expect(await env.recordTree()).toBe(tree`
      outer [agent]
        review [chain]
          LangGraph [agent]
            ask [chain]
              langgraph.interrupt [event]
            langgraph.interrupt [event]
            state.transition [event]
          langgraph.interrupt [event]
        state.transition [event]
    `);
    const { traces } = await env.records();
    expect(traces[0]).toMatchObject({ name: 'outer', status: 'success', session_id: 'thread-9' });
    expect(env.handler.openRuns).toBe(0);
  });

  it('a Command to the parent graph (ParentCommand) is control flow, not an error', async () => {
    const env = await traced();
    const inner = new StateGraph(Steps)
      .addNode('decide', async () => new Command({ graph: Command.PARENT, goto: 'fallback', update: { steps: ['x'] } }))
      .addEdge(START, 'decide')
      .compile({ name: 'inner' });
    const outer = new StateGraph(Steps)
      .addNode('delegate', inner, { ends: ['fallback'] })
      .addNode('fallback', step('fallback'))
      .addEdge(START, 'delegate')
      .addEdge('fallback', END)
      .compile({ name: 'outer' });
    expect((await outer.invoke({ steps: [] }, env.config)).steps).toEqual(['x', 'fallback']);

    expect(env.spanTree()).toBe(tree`
      outer [agent]
        delegate [chain]
          inner [agent]
            decide [chain]
        fallback [chain]
    `);
    expect((await env.records()).traces[0]!.status).toBe('success');
    expect(env.handler.openRuns).toBe(0);
  });
});
