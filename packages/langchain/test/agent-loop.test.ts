import { HumanMessage } from '@langchain/core/messages';
import { SpanKind } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { traced, transitions } from './helpers/env.js';
import { AGENT_LOOP_SPANS, agentLoop } from './helpers/graphs.js';
import { MODEL, RESPONSE_MODEL } from './helpers/models.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

afterEach(resetFluxLoop);

const ask = (question: string) => ({ messages: [new HumanMessage(question)] });

describe('a tool-calling agent loop (model → tools → model → end)', () => {
  it('is one trace: graph agent, node chains, generations and the tool, as spans and as records', async () => {
    const env = await traced();
    const result = await agentLoop().invoke(ask('A-1'), env.config);

    expect(result.messages.at(-1)?.content).toBe('Answer: order A-1 shipped');
    expect(env.spanTree()).toBe(AGENT_LOOP_SPANS);
    expect(await env.recordTree()).toBe(tree`
      LangGraph [agent]
        model [chain]
          RunnableLambda [chain]
          ScriptedChatModel [generation]
        model [chain]
          RunnableLambda [chain]
          ScriptedChatModel [generation]
        state.transition [event]
        state.transition [event]
        state.transition [event]
        tools [chain]
          lookup_order [tool]
    `);
    expect(env.handler.openRuns).toBe(0);
  });

  it('records generations with the model and token usage, summed into the trace record', async () => {
    const env = await traced();
    await agentLoop().invoke(ask('A-1'), env.config);
    const { traces, observations } = await env.records();

    const generations = observations.filter((o) => o.type === 'generation');
    expect(generations.map((g) => [g.model, g.token_usage])).toEqual([
      [RESPONSE_MODEL, { input_tokens: 10, output_tokens: 5, total_tokens: 15 }],
      [RESPONSE_MODEL, { input_tokens: 30, output_tokens: 5, total_tokens: 35 }],
    ]);
    expect(generations[0]!.metadata).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'scripted',
      'gen_ai.request.model': MODEL,
      'gen_ai.request.temperature': 0,
      'gen_ai.response.model': RESPONSE_MODEL,
      'gen_ai.response.finish_reasons': ['tool_calls'],
    });
    expect(generations[0]!.input).toEqual([{ role: 'user', content: 'A-1' }]);
    expect(generations[0]!.output).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [{ id: 'call-A-1', name: 'lookup_order', arguments: { orderId: 'A-1' } }],
    });
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      name: 'LangGraph',
      status: 'success',
      error: null,
      input: { messages: [{ role: 'user', content: 'A-1' }] },
      token_usage: { input_tokens: 40, output_tokens: 10, total_tokens: 50 },
      observation_count: 12,
    });
    expect(env.span('LangGraph').attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'LangGraph',
    });
    expect(env.spans().filter((s) => s.name === 'ScriptedChatModel')[0]!.kind).toBe(SpanKind.CLIENT);
  });

  it('records the tool call with its name, call id, input and result', async () => {
    const env = await traced();
    await agentLoop().invoke(ask('A-1'), env.config);

    expect(env.span('lookup_order').attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_order',
      'gen_ai.tool.call.id': 'call-A-1',
    });
    const tool = (await env.records()).observations.find((o) => o.type === 'tool')!;
    expect([tool.input, tool.output]).toEqual([{ orderId: 'A-1' }, 'order A-1 shipped']);
  });

  it('names node spans after their node, with step and checkpoint namespace, and marks each step on the graph span', async () => {
    const env = await traced();
    await agentLoop().invoke(ask('A-1'), env.config);

    const nodes = env.spans().filter((s) => s.attributes['langgraph.node'] !== undefined);
    const described = nodes.map((s) => [s.name, s.attributes['langgraph.node'], s.attributes['langgraph.step']]);
    expect(described.sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual([
      ['model', 'model', 1],
      ['tools', 'tools', 2],
      ['model', 'model', 3],
    ]);
    for (const node of nodes) expect(node.attributes['langgraph.checkpoint_ns']).toMatch(new RegExp(`^${node.name}:`));
    expect(transitions(env.span('LangGraph'))).toEqual([
      ['model', 1],
      ['tools', 2],
      ['model', 3],
    ]);
  });
});
