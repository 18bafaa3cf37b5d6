import { agent } from '@fluxloop/sdk';
import { HumanMessage } from '@langchain/core/messages';
import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { traced } from './helpers/env.js';
import { agentLoop, twoSteps } from './helpers/graphs.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

afterEach(resetFluxLoop);

describe('where a graph run lands', () => {
  it("inside the SDK's agent() wrapper: in that agent's trace, as its child, tokens summed into it", async () => {
    const env = await traced();
    const graph = agentLoop();
    const support = agent(async function support(question: string) {
      const state = await graph.invoke({ messages: [new HumanMessage(question)] }, env.config);
      return state.messages.at(-1)?.content;
    });
    expect(await support('A-1')).toBe('Answer: order A-1 shipped');

    expect(env.spanTree()).toBe(tree`
      support [agent]
        LangGraph [agent]
          model [chain]
            RunnableLambda [chain]
            ScriptedChatModel [generation]
          model [chain]
            RunnableLambda [chain]
            ScriptedChatModel [generation]
          tools [chain]
            lookup_order [tool]
    `);
    const { traces } = await env.records();
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      name: 'support',
      status: 'success',
      output: 'Answer: order A-1 shipped',
      token_usage: { input_tokens: 40, output_tokens: 10, total_tokens: 50 },
    });
  });

  it("the graph's thread_id becomes the session id of the agent's trace", async () => {
    const env = await traced();
    const support = agent(async function support() {
      return twoSteps().invoke({ steps: [] }, { ...env.config, configurable: { thread_id: 'thread-3' } });
    });
    await support();

    const { traces } = await env.records();
    expect(traces.map((t) => [t.name, t.session_id])).toEqual([['support', 'thread-3']]);
  });

  it("inside the application's own active OTel span: its child", async () => {
    const env = await traced();
    const tracer = trace.getTracer('my-app');
    await tracer.startActiveSpan('handle_request', async (span) => {
      await twoSteps().invoke({ steps: [] }, env.config);
      span.end();
    });

    expect(env.spanTree()).toBe(tree`
      handle_request
        LangGraph [agent]
          first [chain]
          second [chain]
    `);
    expect((await env.records()).traces.map((t) => t.name)).toEqual(['handle_request']);
  });

  it('with no active span: the root of its own trace', async () => {
    const env = await traced();
    await twoSteps().invoke({ steps: [] }, env.config);

    const { traces, observations } = await env.records();
    const root = observations.find((o) => o.name === 'LangGraph')!;
    expect(root.parent_observation_id).toBeNull();
    expect(env.span('LangGraph').parentSpanContext).toBeUndefined();
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ name: 'LangGraph', root_observation_id: root.id, trace_id: root.trace_id });
  });
});
