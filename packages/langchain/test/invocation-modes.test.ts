import { HumanMessage } from '@langchain/core/messages';
import { MemorySaver, type StreamMode } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { traced } from './helpers/env.js';
import { AGENT_LOOP_SPANS, agentLoop } from './helpers/graphs.js';
import { ScriptedChatModel } from './helpers/models.js';
import { resetFluxLoop } from './helpers/sdk.js';

afterEach(resetFluxLoop);

const ask = (question: string) => ({ messages: [new HumanMessage(question)] });

/** The agent loop with a checkpointer, so that every stream mode (checkpoints included) has something to send. */
const graph = () => agentLoop({ model: new ScriptedChatModel(), checkpointer: new MemorySaver() });

const MODES: (StreamMode | StreamMode[])[] = [
  'values',
  'updates',
  'messages',
  'custom',
  'debug',
  'checkpoints',
  'tasks',
  'tools',
  ['values', 'updates', 'messages', 'custom'],
];

describe('every way to run a graph produces the same tree', () => {
  it('invoke()', async () => {
    const env = await traced();
    await graph().invoke(ask('A-1'), { ...env.config, configurable: { thread_id: 'invoke' } });
    expect(env.spanTree()).toBe(AGENT_LOOP_SPANS);
    expect(env.handler.openRuns).toBe(0);
  });

  it.each(MODES.map((mode) => [String(mode), mode] as const))("stream() in '%s' mode", async (label, streamMode) => {
    const env = await traced();
    const stream = await graph().stream(ask('A-1'), { ...env.config, streamMode, configurable: { thread_id: label } });
    let chunks = 0;
    for await (const _ of stream) chunks++;

    expect(chunks).toBeGreaterThan(0);
    expect(env.spanTree()).toBe(AGENT_LOOP_SPANS);
    const { traces } = await env.records();
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ status: 'success', session_id: label, token_usage: { total_tokens: 50 } });
    expect(env.handler.openRuns).toBe(0);
  });

  it('streamEvents() (v2)', async () => {
    const env = await traced();
    let events = 0;
    for await (const _ of graph().streamEvents(ask('A-1'), {
      ...env.config,
      version: 'v2',
      configurable: { thread_id: 'ev' },
    })) {
      events++;
    }
    expect(events).toBeGreaterThan(0);
    expect(env.spanTree()).toBe(AGENT_LOOP_SPANS);
    expect(env.handler.openRuns).toBe(0);
  });

  it('batch(): one trace per input', async () => {
    const env = await traced();
    const inputs = ['A-1', 'B-2', 'C-3'];
    const results = await agentLoop().batch(inputs.map(ask), env.config);
    expect(results.map((r) => r.messages.at(-1)?.content)).toEqual(inputs.map((q) => `Answer: order ${q} shipped`));

    expect(env.spanTrees()).toEqual(inputs.map(() => AGENT_LOOP_SPANS));
    const { traces } = await env.records();
    expect(traces.map((t) => (t.input as { messages: { content: string }[] }).messages[0]!.content).sort()).toEqual(
      inputs,
    );
    expect(env.handler.openRuns).toBe(0);
  });
});
