import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { FakeListChatModel, FakeStreamingChatModel } from '@langchain/core/utils/testing';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { traced } from './helpers/env.js';
import { AGENT_LOOP_SPANS, agentLoop } from './helpers/graphs.js';
import { ScriptedChatModel } from './helpers/models.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

afterEach(resetFluxLoop);

const TTFC = 'gen_ai.response.time_to_first_chunk';
const hi = { messages: [new HumanMessage('hi')] };

/** One node calling the model (without passing config on). */
function chatGraph(model: FakeListChatModel) {
  return new StateGraph(MessagesAnnotation)
    .addNode('chat', async (s) => ({ messages: [await model.invoke(s.messages)] }))
    .addEdge(START, 'chat')
    .addEdge('chat', END)
    .compile();
}

const durationSeconds = (s: ReadableSpan) => s.duration[0] + s.duration[1] / 1e9;

async function drain(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const chunks: unknown[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('streamed model calls', () => {
  it("graph.stream() in 'messages' mode: time to first chunk is set and the whole answer is the output", async () => {
    const env = await traced();
    const model = new FakeListChatModel({ responses: ['Hello there'], sleep: 10 });
    const chunks = await drain(await chatGraph(model).stream(hi, { ...env.config, streamMode: 'messages' }));
    expect(chunks).toHaveLength('Hello there'.length);

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent]
        chat [chain]
          FakeListChatModel [generation]
    `);
    const generation = env.span('FakeListChatModel');
    const ttfc = generation.attributes[TTFC] as number;
    expect(ttfc).toBeGreaterThanOrEqual(0.009);
    expect(ttfc).toBeLessThan(durationSeconds(generation));
    const record = (await env.records()).observations.find((o) => o.type === 'generation')!;
    expect(record.output).toEqual({ role: 'assistant', content: 'Hello there' });
    expect(env.handler.openRuns).toBe(0);
  });

  it('model.stream(): a root generation with time to first chunk and the whole answer', async () => {
    const env = await traced();
    const model = new FakeStreamingChatModel({ sleep: 5, responses: [new AIMessage('yo yo')] });
    const chunks = await drain(await model.stream('hi', env.config));
    expect(chunks).toHaveLength(5);

    expect(env.spanTree()).toBe('FakeStreamingChatModel [generation]');
    expect(env.span('FakeStreamingChatModel').attributes[TTFC]).toBeGreaterThanOrEqual(0.004);
    const { traces, observations } = await env.records();
    expect(observations[0]).toMatchObject({
      input: [{ role: 'user', content: 'hi' }],
      output: { role: 'assistant', content: 'yo yo' },
    });
    expect(traces[0]).toMatchObject({ name: 'FakeStreamingChatModel', status: 'success' });
  });

  it('a model called without streaming has no time to first chunk', async () => {
    const env = await traced();
    await chatGraph(new FakeListChatModel({ responses: ['Hello there'] })).invoke(hi, env.config);
    expect(env.span('FakeListChatModel').attributes[TTFC]).toBeUndefined();
  });

  it('token usage of streamed answers (usage in the last chunk) reaches the generations and the trace', async () => {
    const env = await traced();
    const graph = agentLoop({ model: new ScriptedChatModel({ delayMs: 1 }) });
    await drain(await graph.stream({ messages: [new HumanMessage('A-1')] }, { ...env.config, streamMode: 'messages' }));

    expect(env.spanTree()).toBe(AGENT_LOOP_SPANS);
    const { traces, observations } = await env.records();
    const generations = observations.filter((o) => o.type === 'generation');
    expect(generations.map((g) => g.token_usage?.total_tokens)).toEqual([15, 35]);
    expect(generations[1]!.output).toEqual({ role: 'assistant', content: 'Answer: order A-1 shipped' });
    expect(traces[0]!.token_usage).toEqual({ input_tokens: 40, output_tokens: 10, total_tokens: 50 });
    for (const g of env.spans().filter((s) => s.name === 'ScriptedChatModel'))
      expect(g.attributes[TTFC]).toBeTypeOf('number');
  });

  it('a consumer that stops reading a graph stream ends the runs (cancelled, so error) and leaves no open run', async () => {
    const env = await traced();
    const model = new FakeListChatModel({ responses: ['Hello there'], sleep: 5 });
    for await (const _ of await chatGraph(model).stream(hi, { ...env.config, streamMode: 'messages' })) break;
    await new Promise((r) => setTimeout(r, 50));

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent] ERROR
        chat [chain] ERROR
          FakeListChatModel [generation] ERROR
    `);
    expect((await env.records()).traces[0]).toMatchObject({ status: 'error', error: 'Error: Abort' });
    expect(env.handler.openRuns).toBe(0);
  });
});
