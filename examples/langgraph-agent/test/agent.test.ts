/**
 * End to end: the example's main runs in a child process (as `npm start` does) and the records FluxLoop wrote are
 * checked: the tree supportAgent → LangGraph → agent node → model call, tools node → lookup_order, agent node
 * again; token totals; the thread id as session id. Once with the offline fake model, once with the real
 * ChatOpenAI talking to a local server that speaks the OpenAI Chat Completions API.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type FakeOpenAI, RESPONSE_MODEL, startFakeOpenAI, TOOL_CALL_ID, USAGE } from './helpers/openai-server.js';
import {
  childrenOf,
  type ExampleRun,
  type ObservationRecord,
  removeTemps,
  runExample,
  sumUsage,
} from './helpers/run-example.js';

afterAll(removeTemps);

const THREAD_ID = 'support-thread-1';

function expectSuccess(run: ExampleRun): void {
  if (run.code !== 0) throw new Error(`example exited with ${run.code}\n${run.stdout}\n${run.stderr}`);
  expect(run.stderr).not.toMatch(/\[fluxloop\]|warn|error/i);
}

/** The graph's trace tree, checked level by level; returns the model calls and the tool call. */
function expectGraphTree(run: ExampleRun, model: { name: string; model: string }) {
  expect(run.traces).toHaveLength(1);
  const trace = run.traces[0]!;
  const observations = run.observations.filter((o) => o.trace_id === trace.trace_id);
  expect(observations).toHaveLength(run.observations.length);
  expect(observations).toHaveLength(trace.observation_count);
  expect(observations.filter((o) => o.level !== 'info')).toEqual([]);

  const roots = childrenOf(observations, null);
  expect(roots.map((o) => [o.type, o.name])).toEqual([['agent', 'supportAgent']]);
  const root = roots[0]!;
  expect(root.id).toBe(trace.root_observation_id);
  expect(trace).toMatchObject({ name: 'supportAgent', status: 'success', session_id: THREAD_ID });
  expect(trace.tags).toEqual(expect.arrayContaining(['example', 'langgraph']));

  const underRoot = childrenOf(observations, root.id);
  expect(underRoot.map((o) => [o.type, o.name])).toEqual([['agent', 'LangGraph']]);
  const graph = underRoot[0]!;
  const underGraph = childrenOf(observations, graph.id);
  const nodes = underGraph.filter((o) => o.type !== 'event');
  expect(nodes.map((o) => [o.type, o.name])).toEqual([
    ['chain', 'agent'],
    ['chain', 'tools'],
    ['chain', 'agent'],
  ]);
  const transitions = underGraph
    .filter((o) => o.type === 'event' && o.name === 'state.transition')
    .sort((a, b) => Number(a.metadata['langgraph.step']) - Number(b.metadata['langgraph.step']));
  expect(transitions.map((t) => t.metadata['langgraph.node'])).toEqual(['agent', 'tools', 'agent']);
  expect(nodes.map((n) => n.metadata['langgraph.node'])).toEqual(['agent', 'tools', 'agent']);

  const [firstAgent, tools, secondAgent] = nodes as [ObservationRecord, ObservationRecord, ObservationRecord];
  const generations: ObservationRecord[] = [];
  for (const node of [firstAgent, secondAgent]) {
    const steps = childrenOf(observations, node.id);
    expect(steps.map((o) => [o.type, o.name])).toEqual([
      ['generation', model.name],
      ['chain', 'route_after_agent'],
    ]);
    const generation = steps[0]!;
    expect(generation.model).toBe(model.model);
    expect(childrenOf(observations, generation.id)).toEqual([]);
    generations.push(generation);
  }

  const toolCalls = childrenOf(observations, tools.id);
  expect(toolCalls.map((o) => [o.type, o.name])).toEqual([['tool', 'lookup_order']]);
  const tool = toolCalls[0]!;
  expect(tool.input).toEqual({ order_id: 'A-1001' });
  expect(JSON.stringify(tool.output)).toContain('shipped');

  // The first model call asked for the tool; the second saw its result.
  expect(JSON.stringify(generations[0]!.output)).toContain('lookup_order');
  expect(JSON.stringify(generations[1]!.input)).toContain('shipped');

  // Token totals: every model call has usage, and the trace's total is their sum.
  for (const g of generations) {
    expect(g.token_usage?.input_tokens).toBeGreaterThan(0);
    expect(g.token_usage?.output_tokens).toBeGreaterThan(0);
    expect(g.token_usage?.total_tokens).toBe(g.token_usage!.input_tokens + g.token_usage!.output_tokens);
  }
  expect(trace.token_usage).toMatchObject(sumUsage(generations));
  expect(sumUsage(observations.filter((o) => o.type !== 'generation')).total_tokens).toBe(0);

  // What main.ts printed: the answer and the trace tree with token counts.
  const total = trace.token_usage!;
  expect(run.stdout).toContain(`session ${THREAD_ID}`);
  expect(run.stdout).toContain(`= ${total.total_tokens}`);
  expect(run.stdout).toMatch(/transitions: agent \(step 1\) → tools \(step 2\) → agent \(step 3\)/);
  expect(run.stdout).toMatch(new RegExp(`${model.name} \\[generation ${model.model}\\] .*tokens`));
  return { trace, generations, tool };
}

describe('examples/langgraph-agent', () => {
  it('runs offline with the fake model and writes the graph trace', async () => {
    const run = await runExample();
    expectSuccess(run);
    expect(run.stdout).toContain('Model: offline fake model');
    expect(run.stdout).toContain('Order A-1001 is shipped; it should arrive on Thursday.');

    const { generations, trace } = expectGraphTree(run, { name: 'FakeSupportChatModel', model: 'fake-support-model' });
    for (const g of generations) {
      expect(g.metadata).toMatchObject({
        'gen_ai.request.model': 'fake-support-model',
        'gen_ai.provider.name': 'fake',
      });
    }
    expect(generations[0]!.metadata['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
    expect(generations[1]!.metadata['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(trace.output).toBe('Order A-1001 is shipped; it should arrive on Thursday.');
  });

  describe('with OPENAI_API_KEY: the real ChatOpenAI against a local Chat Completions server', () => {
    let server: FakeOpenAI | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('sends the tool result back, and the trace carries the model and usage the server returned', async () => {
      server = await startFakeOpenAI();
      const run = await runExample({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseURL });
      expectSuccess(run);
      expect(run.stdout).toContain(`Model: ChatOpenAI (gpt-4o-mini) at ${server.baseURL}`);
      expect(run.stdout).toContain('Your order A-1001 is shipped and should arrive on Thursday.');

      // What the server received: two Chat Completions calls with the key, the tool, then the tool's result.
      const requests = server.requests;
      expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /v1/chat/completions',
        'POST /v1/chat/completions',
      ]);
      for (const r of requests) {
        expect(r.headers.authorization).toBe('Bearer test-key');
        expect(r.body.model).toBe('gpt-4o-mini');
        expect(r.body.stream).toBeFalsy();
        expect(r.body.tools?.map((t) => t.function.name)).toEqual(['lookup_order']);
      }
      expect(requests[0]!.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
      const second = requests[1]!.body.messages;
      expect(second.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
      expect(second[2]!.tool_calls?.[0]).toMatchObject({ id: TOOL_CALL_ID, function: { name: 'lookup_order' } });
      expect(second[3]!.tool_call_id).toBe(TOOL_CALL_ID);
      expect(JSON.parse(String(second[3]!.content))).toEqual({ id: 'A-1001', status: 'shipped', eta: 'on Thursday' });

      // What FluxLoop recorded: the response model and the exact usage of each response.
      const { generations, trace } = expectGraphTree(run, { name: 'ChatOpenAI', model: RESPONSE_MODEL });
      generations.forEach((g, i) => {
        expect(g.token_usage).toMatchObject({
          input_tokens: USAGE[i]!.prompt_tokens,
          output_tokens: USAGE[i]!.completion_tokens,
          total_tokens: USAGE[i]!.total_tokens,
        });
        expect(g.metadata).toMatchObject({
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': RESPONSE_MODEL,
          'gen_ai.provider.name': 'openai',
        });
      });
      expect(trace.token_usage).toMatchObject({
        input_tokens: USAGE[0].prompt_tokens + USAGE[1].prompt_tokens,
        output_tokens: USAGE[0].completion_tokens + USAGE[1].completion_tokens,
        total_tokens: USAGE[0].total_tokens + USAGE[1].total_tokens,
      });

      // The key never reaches the records (nor the console).
      expect(run.allOutput.length).toBeGreaterThan(0);
      expect(run.allOutput).not.toContain('test-key');
      expect(run.stdout + run.stderr).not.toContain('test-key');
    });
  });
});
