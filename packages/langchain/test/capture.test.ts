import fs from 'node:fs';
import path from 'node:path';
import { HumanMessage } from '@langchain/core/messages';
import { MemorySaver } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { traced } from './helpers/env.js';
import { AGENT_LOOP_SPANS, agentLoop, approval } from './helpers/graphs.js';
import { lookupPolicy, ScriptedChatModel } from './helpers/models.js';
import { resetFluxLoop } from './helpers/sdk.js';

afterEach(resetFluxLoop);

const SECRET = 'sk-proj-Zz98Yy76Xx54Ww32Vv10UuTt';

/** The lookup agent, with a provider-style tool call id (the default policy derives it from the question). */
const withCallId = () =>
  agentLoop({
    model: new ScriptedChatModel({
      policy: (messages) => {
        const turn = lookupPolicy(messages);
        return { ...turn, toolCalls: turn.toolCalls?.map((c) => ({ ...c, id: 'call_0001' })) };
      },
    }),
  });

describe('capture modes', () => {
  it("'none': no input or output attributes on any LangChain span, no payloads in the records", async () => {
    const env = await traced({ captureContent: 'none' });
    await agentLoop().invoke({ messages: [new HumanMessage('A-1')] }, env.config);

    expect(env.spanTree()).toBe(AGENT_LOOP_SPANS);
    const keys = new Set(env.spans().flatMap((s) => Object.keys(s.attributes)));
    expect([...keys].filter((k) => /input|output/.test(k) && !k.startsWith('gen_ai.usage.'))).toEqual([]);
    const { traces, observations } = await env.records();
    expect(observations.filter((o) => o.input !== null || o.output !== null)).toEqual([]);
    expect([traces[0]!.input, traces[0]!.output]).toEqual([null, null]);
    // What is not content is still there.
    expect(traces[0]!.token_usage.total_tokens).toBe(50);
    expect(env.span('lookup_order').attributes['gen_ai.tool.call.id']).toBe('call-A-1');
  });

  // The interrupt payload is content (it is also in the graph's output), so 'none' drops it too.
  it("'none': an interrupt's payload (content shown to a human) is not recorded either", async () => {
    const env = await traced({ captureContent: 'none' });
    const draft = 'Dear Ms Smith, your test results are ready';
    await approval(new MemorySaver(), { draft }).invoke(
      { steps: [] },
      { ...env.config, configurable: { thread_id: 't' } },
    );

    await env.records();
    expect(env.span('ask').events.map((e) => e.name)).toEqual(['langgraph.interrupt']);
    expect(JSON.stringify(env.spans().map((s) => [s.attributes, s.events]))).not.toContain(draft);
    expect(fs.readFileSync(path.join(env.dir, 'observations.jsonl'), 'utf8')).not.toContain(draft);
  });

  it("'redacted': a secret in a human message is masked in spans and records, the rest is kept", async () => {
    const env = await traced({ captureContent: 'redacted' });
    await withCallId().invoke({ messages: [new HumanMessage(`my key is ${SECRET}`)] }, env.config);

    const { traces, observations } = await env.records();
    expect(traces[0]!.input).toEqual({ messages: [{ role: 'user', content: 'my key is [REDACTED:openai_api_key]' }] });
    const generation = observations.find((o) => o.type === 'generation')!;
    expect(generation.input).toEqual([{ role: 'user', content: 'my key is [REDACTED:openai_api_key]' }]);
    for (const file of ['traces.jsonl', 'observations.jsonl']) {
      expect(fs.readFileSync(path.join(env.dir, file), 'utf8')).not.toContain(SECRET);
    }
    expect(JSON.stringify(env.spans().map((s) => [s.attributes, s.events]))).not.toContain(SECRET);
  });

  it("'full': content is kept as it is", async () => {
    const env = await traced({ captureContent: 'full' });
    await withCallId().invoke({ messages: [new HumanMessage(`my key is ${SECRET}`)] }, env.config);

    const { traces } = await env.records();
    expect(traces[0]!.input).toEqual({ messages: [{ role: 'user', content: `my key is ${SECRET}` }] });
  });
});
