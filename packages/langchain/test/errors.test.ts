import fs from 'node:fs';
import path from 'node:path';
import { HumanMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { END, START, StateGraph } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { traced } from './helpers/env.js';
import { agentLoop, Steps } from './helpers/graphs.js';
import { ScriptedChatModel } from './helpers/models.js';
import { resetFluxLoop, tree } from './helpers/sdk.js';

afterEach(resetFluxLoop);

const SECRET = 'sk-proj-Ab12Cd34Ef56Gh78Ij90KlMnOp';

/** A tool that always fails with a message quoting an API key. */
const charge = tool(
  async (): Promise<string> => {
    throw new Error(`payment API rejected key ${SECRET}`);
  },
  { name: 'charge', description: 'Charges a card', schema: z.object({ amount: z.number() }) },
);

/** Calls `charge` once, then answers with what the tool said. */
const chargeModel = () =>
  new ScriptedChatModel({
    policy: (messages) =>
      messages.length > 1
        ? { content: `tool said: ${messages.at(-1)!.content}` }
        : { content: '', toolCalls: [{ id: 'call-charge', name: 'charge', args: { amount: 3 } }] },
  });

const pay = { messages: [new HumanMessage('pay')] };

describe('failures', () => {
  it('a failing tool: the tool span and its ancestors end with error status, the trace record is an error', async () => {
    const env = await traced();
    const graph = agentLoop({ model: chargeModel(), tools: [charge], handleToolErrors: false });
    await expect(graph.invoke(pay, env.config)).rejects.toThrow('payment API rejected key');

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent] ERROR
        model [chain]
          RunnableLambda [chain]
          ScriptedChatModel [generation]
        tools [chain] ERROR
          charge [tool] ERROR
    `);
    const { traces, observations } = await env.records();
    const levels = Object.fromEntries(observations.filter((o) => o.type !== 'event').map((o) => [o.name, o.level]));
    expect(levels).toEqual({
      LangGraph: 'error',
      tools: 'error',
      charge: 'error',
      model: 'info',
      RunnableLambda: 'info',
      ScriptedChatModel: 'info',
    });
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      status: 'error',
      error: 'Error: payment API rejected key [REDACTED:openai_api_key]',
    });
    expect(observations.find((o) => o.name === 'charge')!.status_message).toBe(
      'Error: payment API rejected key [REDACTED:openai_api_key]',
    );
    expect(env.handler.openRuns).toBe(0);
  });

  it('the secret in the error message reaches neither the spans (message, exception event, stack) nor the files', async () => {
    const env = await traced();
    const graph = agentLoop({ model: chargeModel(), tools: [charge], handleToolErrors: false });
    await expect(graph.invoke(pay, env.config)).rejects.toThrow(SECRET);
    await env.records();

    const exception = env.span('charge').events.find((e) => e.name === 'exception')!;
    expect(exception.attributes).toMatchObject({
      'exception.type': 'Error',
      'exception.message': 'payment API rejected key [REDACTED:openai_api_key]',
    });
    expect(exception.attributes?.['exception.stacktrace']).toContain('[REDACTED:openai_api_key]');
    const everything = env.spans().map((s) => JSON.stringify([s.attributes, s.status, s.events]));
    expect(everything.join('\n')).not.toContain(SECRET);
    for (const file of ['traces.jsonl', 'observations.jsonl']) {
      expect(fs.readFileSync(path.join(env.dir, file), 'utf8')).not.toContain(SECRET);
    }
  });

  it('a tool error that ToolNode turns into a message fails only the tool span; the trace succeeds', async () => {
    const env = await traced();
    const result = await agentLoop({ model: chargeModel(), tools: [charge] }).invoke(pay, env.config);
    expect(result.messages.at(-1)!.content).toContain('tool said: Error: payment API rejected key');

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent]
        model [chain]
          RunnableLambda [chain]
          ScriptedChatModel [generation]
        model [chain]
          RunnableLambda [chain]
          ScriptedChatModel [generation]
        tools [chain]
          charge [tool] ERROR
    `);
    expect((await env.records()).traces[0]!.status).toBe('success');
    expect(env.handler.openRuns).toBe(0);
  });

  it('a failing model call is an error generation under an error node and graph', async () => {
    const env = await traced();
    const model = new ScriptedChatModel({
      policy: () => {
        throw new Error('model overloaded');
      },
    });
    await expect(agentLoop({ model }).invoke(pay, env.config)).rejects.toThrow('model overloaded');

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent] ERROR
        model [chain] ERROR
          ScriptedChatModel [generation] ERROR
    `);
    const { traces } = await env.records();
    expect(traces[0]).toMatchObject({ status: 'error', error: 'Error: model overloaded' });
    expect(env.handler.openRuns).toBe(0);
  });

  it('a node retried by its retry policy: the failed attempt is an error span, the trace succeeds', async () => {
    const env = await traced();
    let attempts = 0;
    const graph = new StateGraph(Steps)
      .addNode(
        'flaky',
        async () => {
          if (attempts++ === 0) throw new Error('transient');
          return { steps: ['ok'] };
        },
        { retryPolicy: { maxAttempts: 2, initialInterval: 1, jitter: false, retryOn: () => true, logWarning: false } },
      )
      .addEdge(START, 'flaky')
      .addEdge('flaky', END)
      .compile();
    expect((await graph.invoke({ steps: [] }, env.config)).steps).toEqual(['ok']);

    expect(env.spanTree()).toBe(tree`
      LangGraph [agent]
        flaky [chain]
        flaky [chain] ERROR
    `);
    expect((await env.records()).traces[0]!.status).toBe('success');
    expect(env.handler.openRuns).toBe(0);
  });
});
