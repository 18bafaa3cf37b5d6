import { agent } from '@fluxloop/sdk';
import { HumanMessage } from '@langchain/core/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { traced } from './helpers/env.js';
import { AGENT_LOOP_SPANS, agentLoop, twoSteps } from './helpers/graphs.js';
import { ScriptedChatModel } from './helpers/models.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

afterEach(resetFluxLoop);

const questions = (n: number) => Array.from({ length: n }, (_, i) => `Q-${i}`);

describe('one handler shared by concurrent runs', () => {
  it('50 concurrent graph.invoke() calls make 50 separate, correct trees', async () => {
    const env = await traced();
    const graph = agentLoop({ model: new ScriptedChatModel({ delayMs: 2 }) });
    const asked = questions(50);
    const results = await Promise.all(asked.map((q) => graph.invoke({ messages: [new HumanMessage(q)] }, env.config)));
    expect(results.map((r) => r.messages.at(-1)?.content)).toEqual(asked.map((q) => `Answer: order ${q} shipped`));

    const trees = env.spanTrees();
    expect(trees).toHaveLength(50);
    expect(new Set(trees)).toEqual(new Set([AGENT_LOOP_SPANS]));
    // No cross-linking: every span of a trace belongs to that trace's conversation.
    const spans = env.spans();
    for (const root of spans.filter((s) => s.name === 'LangGraph')) {
      const traceId = root.spanContext().traceId;
      const question = JSON.parse(String(root.attributes['fluxloop.input'])).messages[0].content as string;
      const own = spans.filter((s) => s.spanContext().traceId === traceId);
      expect(own.find((s) => s.name === 'lookup_order')!.attributes['gen_ai.tool.call.id']).toBe(`call-${question}`);
      for (const s of own.filter((x) => x.attributes['fluxloop.input'] !== undefined)) {
        expect(String(s.attributes['fluxloop.input'])).toContain(question);
      }
    }
    const { traces } = await env.records();
    expect(traces).toHaveLength(50);
    expect(new Set(traces.map((t) => t.token_usage.total_tokens))).toEqual(new Set([50]));
    expect(env.handler.openRuns).toBe(0);
  });

  it('concurrent agent() calls each get their graph as their own child', async () => {
    const env = await traced();
    const graph = twoSteps();
    const support = agent(async function support(i: number) {
      await new Promise((r) => setTimeout(r, i % 3));
      return graph.invoke({ steps: [String(i)] }, env.config);
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => support(i)));

    const trees = env.spanTrees();
    expect(trees).toHaveLength(20);
    expect(new Set(trees)).toEqual(
      new Set([
        tree`
          support [agent]
            LangGraph [agent]
              first [chain]
              second [chain]
        `,
      ]),
    );
    // Each graph span sits under the agent call that invoked it (its input is that call's argument).
    for (const root of env.spans().filter((s) => s.name === 'support')) {
      const graphSpan = env.spans().find((s) => s.parentSpanContext?.spanId === root.spanContext().spanId)!;
      const [i] = JSON.parse(String(root.attributes['fluxloop.input'])) as [number];
      expect(JSON.parse(String(graphSpan.attributes['fluxloop.input']))).toEqual({ steps: [String(i)] });
    }
    expect(env.handler.openRuns).toBe(0);
  });
});
