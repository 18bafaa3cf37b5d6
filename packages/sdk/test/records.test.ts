import fs from 'node:fs';
import path from 'node:path';
import { validateObservationRecord, validateTraceRecord } from '@fluxloop/contract/validate';
import { agent, event, generation, tool, trace, updateTrace } from '@fluxloop/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { configured, resetFluxLoop } from './helpers/harness.js';
import { recordNodes, renderTree, tree } from './helpers/tree.js';

afterEach(resetFluxLoop);

/** An OpenAI-style chat completion, as generation() sees it returned. */
const completion = (content: string, input: number, output: number) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
});

describe('records written by the processor', () => {
  it('validate against the contract schemas and carry trace-level fields, tokens and events', async () => {
    const env = await configured({ serviceName: 'support-bot' });
    const llm = generation(async function llm(request: { model: string; messages: unknown[] }) {
      return completion(`echo ${request.messages.length}`, 12, 5);
    });
    const lookup = tool(async function lookup(orderId: string) {
      event('cache.miss', { orderId, attempts: 2 });
      return { orderId, status: 'shipped' };
    });
    const support = agent(
      async function support(question: string) {
        updateTrace({ userId: 'user-7', tags: ['vip'], metadata: { plan: 'pro' } });
        const order = await lookup('A-1');
        const first = await llm({ model: 'gpt-4o-mini', messages: [question] });
        await llm({ model: 'gpt-4o-mini', messages: [question, first] });
        event('state.transition', { from: 'lookup', to: 'answer' }, { level: 'debug' });
        return order.status;
      },
      { sessionId: 'session-1', tags: ['support'], metadata: { channel: 'web' } },
    );
    await support('where is A-1?');
    const { traces, observations } = await env.records();

    for (const t of traces) expect(validateTraceRecord(t)).toEqual({ valid: true });
    for (const o of observations) expect(validateObservationRecord(o)).toEqual({ valid: true });

    expect(renderTree(recordNodes(observations))).toBe(tree`
      support [agent]
        llm [generation]
        llm [generation]
        lookup [tool]
          cache.miss [event]
        state.transition [event]
    `);
    expect(traces).toHaveLength(1);
    const t = traces[0]!;
    expect(t).toMatchObject({
      name: 'support',
      status: 'success',
      session_id: 'session-1',
      user_id: 'user-7',
      service_name: 'support-bot',
      metadata: { channel: 'web', plan: 'pro' },
      token_usage: { input_tokens: 24, output_tokens: 10, total_tokens: 34 },
      observation_count: 6,
      experiment_id: null,
      iteration: null,
    });
    expect(t.tags.sort()).toEqual(['support', 'vip']);
    expect(t.input).toEqual(['where is A-1?']);
    expect(t.output).toBe('shipped');

    const gen = observations.find((o) => o.type === 'generation')!;
    expect(gen.model).toBe('gpt-4o-mini-2024-07-18');
    expect(gen.token_usage).toEqual({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });
    expect(gen.metadata).toMatchObject({
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.finish_reasons': ['stop'],
    });
    const miss = observations.find((o) => o.name === 'cache.miss')!;
    expect(miss).toMatchObject({ duration_ms: 0, level: 'info', metadata: { orderId: 'A-1', attempts: 2 } });
    expect(miss.parent_observation_id).toBe(observations.find((o) => o.name === 'lookup')!.id);
    expect(observations.find((o) => o.name === 'state.transition')!.level).toBe('debug');
    // Observations of a trace are on disk before (or with) the trace record itself.
    expect(new Set(observations.map((o) => o.trace_id))).toEqual(new Set([t.trace_id]));
  });

  it('times are ISO UTC with microseconds and durations agree with them', async () => {
    const env = await configured();
    await trace(async function slow() {
      await new Promise((r) => setTimeout(r, 20));
    })();
    const { observations } = await env.records();
    const o = observations[0]!;
    expect(o.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const measured = Date.parse(o.end_time) - Date.parse(o.start_time);
    expect(o.duration_ms).toBeGreaterThanOrEqual(19);
    expect(Math.abs(o.duration_ms - measured)).toBeLessThan(1.01);
  });

  it('a standalone event() outside any span is a trace of its own', async () => {
    const env = await configured();
    event('deploy.started', { version: '1.2.3' });
    const { traces, observations } = await env.records();
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ type: 'event', name: 'deploy.started', parent_observation_id: null });
    expect(traces.map((t) => t.name)).toEqual(['deploy.started']);
  });

  it('updateTrace() from a nested call sets the trace name, input and output', async () => {
    const env = await configured();
    const inner = tool(function inner() {
      updateTrace({ name: 'renamed', input: { q: 'custom' }, output: 'final answer' });
    });
    agent(function outer() {
      inner();
      return 'raw';
    })();
    const { traces } = await env.records();
    expect(traces[0]).toMatchObject({ name: 'renamed', input: { q: 'custom' }, output: 'final answer' });
  });
});

describe('secrets never reach the files in redacted mode', () => {
  const OPENAI_KEY = 'sk-proj-Zq81Abcdefghij0123456789KLMNOPqrst';
  const BEARER = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
  const PASSWORD = 'hunter2-correct-horse';
  const secrets = [OPENAI_KEY, BEARER, PASSWORD, 'eyJzdWIiOiIxMjM0NTY3ODkwIn0'];

  async function runAgent(captureContent: 'redacted' | 'full') {
    const env = await configured({ captureContent });
    const login = tool(async function login(request: { headers: Record<string, string>; body: unknown }) {
      if (request.headers.Authorization) throw new Error(`upstream rejected key ${OPENAI_KEY}`);
      return { token: BEARER };
    });
    const handle = agent(
      async function handle(_message: string, credentials: { password: string; author: string; monkey: string }) {
        await login({ headers: {}, body: credentials });
        await login({ headers: { Authorization: `Bearer ${BEARER}` }, body: null }).catch(() => undefined);
        return `done for ${credentials.author} using ${OPENAI_KEY}`;
      },
      { metadata: { api_key: OPENAI_KEY, team: 'support' } },
    );
    await handle(`my key is ${OPENAI_KEY}`, { password: PASSWORD, author: 'Ada Lovelace', monkey: 'George' });
    await env.client.forceFlush(10_000);
    const raw = ['traces.jsonl', 'observations.jsonl']
      .map((f) => fs.readFileSync(path.join(env.dir, f), 'utf8'))
      .join('\n');
    return raw;
  }

  it('masks keys, bearer tokens, JWTs and password fields in inputs, outputs, errors and metadata', async () => {
    const raw = await runAgent('redacted');
    for (const secret of secrets) expect(raw).not.toContain(secret);
    expect(raw).toContain('[REDACTED:');
    // Words that merely contain "auth" or "key" are left alone.
    expect(raw).toContain('Ada Lovelace');
    expect(raw).toContain('George');
    expect(raw).toContain('"team":"support"');
  });

  it('full mode keeps them (so the test above can fail)', async () => {
    const raw = await runAgent('full');
    for (const secret of [OPENAI_KEY, PASSWORD]) expect(raw).toContain(secret);
  });
});
