import type { ObservationRecord, TraceRecord } from '@fluxloop/contract';
import {
  agent,
  configure,
  event,
  type FluxLoopOptions,
  FluxLoopSpanProcessor,
  generation,
  MemoryReporter,
  tool,
  updateTrace,
} from '@fluxloop/sdk';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { resetFluxLoop } from '../../sdk/test/helpers/harness.js';
import { recordNodes, renderTrees, tree } from '../../sdk/test/helpers/tree.js';
import {
  cleanup,
  type Records,
  readRecords,
  schemaProblems,
  serve,
  serviceFolders,
  tempDir,
} from './helpers/collector.js';

afterEach(async () => {
  await resetFluxLoop();
  await cleanup();
});

const search = tool(async function search(query: string) {
  return [{ title: `About ${query}`, score: 0.92 }];
});
const flaky = tool(async function flaky(attempt: number) {
  throw new Error(`tool broke on attempt ${attempt}`);
});
const llm = generation(async function llm(request: { model: string; messages: { role: string; content: string }[] }) {
  return {
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ message: { role: 'assistant', content: `Answer to ${request.messages.at(-1)?.content}` } }],
    usage: { prompt_tokens: 11, completion_tokens: 5, total_tokens: 16 },
  };
});
const support = agent(
  async function support(question: string, options: { userId: string }) {
    updateTrace({ userId: options.userId });
    const docs = await search(question);
    await flaky(1).catch(() => undefined);
    event('checkpoint', { step: 2, reason: 'docs found' });
    const reply = await llm({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: question }] });
    return { answer: reply.choices[0]!.message.content, sources: docs.length };
  },
  { sessionId: 'session-7', tags: ['parity', 'refunds'], metadata: { tier: 'gold' } },
);

/** The same calls for every configuration: two traces of an agent with tools, a failing tool, an event, an LLM. */
async function calls(): Promise<void> {
  await support('How do refunds work?', { userId: 'u-1' });
  await support('Where is my order?', { userId: 'u-2' });
}

async function runWith(options: FluxLoopOptions): Promise<void> {
  await resetFluxLoop();
  const client = configure({ serviceName: 'parity-svc', reporter: new MemoryReporter(), ...options });
  await calls();
  expect(await client.shutdown(10_000)).toBe(true);
}

const EXPECTED = tree`
  support [agent]
    checkpoint [event]
    flaky [tool] ERROR
    llm [generation]
    search [tool]
`;

/** Records without what differs between two runs of the same calls (ids, times), in a stable order. */
function comparable(records: Records) {
  const observations = records.observations.map((o) => {
    const { id, trace_id, parent_observation_id, start_time, end_time, duration_ms, ...rest } = o;
    return rest;
  });
  const traces = records.traces.map((t) => {
    const { trace_id, root_observation_id, start_time, end_time, duration_ms, ...rest } = t;
    return rest;
  });
  const key = (v: unknown) => JSON.stringify(v);
  return {
    observations: observations.sort((a, b) => key(a).localeCompare(key(b))),
    traces: traces.sort((a, b) => key(a).localeCompare(key(b))),
  };
}

function expectShape(records: Records): void {
  expect(schemaProblems(records)).toEqual([]);
  expect(records.traces).toHaveLength(2);
  expect(records.observations).toHaveLength(10);
  expect(renderTrees(recordNodes(records.observations))).toEqual([EXPECTED, EXPECTED]);
  const llmRecord = records.observations.find((o) => o.name === 'llm')!;
  expect(llmRecord).toMatchObject({
    type: 'generation',
    model: 'gpt-4o-mini-2024-07-18',
    token_usage: { input_tokens: 11, output_tokens: 5, total_tokens: 16 },
  });
  const searchRecord = records.observations.find((o) => o.name === 'search' && o.output !== null)!;
  expect(searchRecord.output).toEqual([{ title: expect.stringMatching(/^About /), score: 0.92 }]);
  const trace = records.traces.find((t) => t.user_id === 'u-1')!;
  expect(trace).toMatchObject({
    name: 'support',
    session_id: 'session-7',
    tags: expect.arrayContaining(['parity', 'refunds']),
    service_name: 'parity-svc',
    token_usage: { input_tokens: 11, output_tokens: 5, total_tokens: 16 },
    output: { answer: 'Answer to How do refunds work?', sources: 1 },
  });
}

describe('the FluxLoop SDK through the collector gives the records of its own file storage', () => {
  for (const protocol of ['http/json', 'http/protobuf'] as const) {
    it(`OTLP ${protocol} with storage none, against a separate run with file storage`, async () => {
      const c = await serve();
      await runWith({ storage: 'none', otlp: { endpoint: c.tracesUrl, protocol } });
      const fileDir = tempDir();
      await runWith({ storage: 'file', outputDir: fileDir });

      expect(serviceFolders(c.dir)).toEqual(['parity-svc']);
      const viaCollector = c.records('parity-svc');
      const viaFile = readRecords(fileDir);
      expectShape(viaFile);
      expectShape(viaCollector);
      expect(comparable(viaCollector)).toEqual(comparable(viaFile));
    });
  }

  it('file storage and OTLP export of the same spans at once: identical records, ids and times included', async () => {
    const c = await serve();
    const fileDir = tempDir();
    await runWith({ storage: 'file', outputDir: fileDir, otlp: { endpoint: c.tracesUrl, protocol: 'http/protobuf' } });
    const sort = <T extends ObservationRecord | TraceRecord>(list: T[]) =>
      [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const viaCollector = c.records('parity-svc');
    const viaFile = readRecords(fileDir);
    expectShape(viaCollector);
    expect(sort(viaCollector.observations)).toEqual(sort(viaFile.observations));
    expect(sort(viaCollector.traces)).toEqual(sort(viaFile.traces));
  });

  it('HTTP storage (record batches) stores the same records as file storage, in the service folder', async () => {
    const c = await serve();
    await runWith({ storage: 'http', collectorUrl: c.url, spoolDir: tempDir() });
    const fileDir = tempDir();
    await runWith({ storage: 'file', outputDir: fileDir });
    expect(serviceFolders(c.dir)).toEqual(['parity-svc']);
    const viaCollector = c.records('parity-svc');
    expectShape(viaCollector);
    expect(comparable(viaCollector)).toEqual(comparable(readRecords(fileDir)));
    expect(c.stats().batches).toBeGreaterThan(0);
    expect(c.stats().duplicateBatches).toBe(0);
  });

  it('array attributes with null elements keep their shape (as the SDK writes them), not JSON text', async () => {
    await resetFluxLoop();
    const c = await serve();
    const fileDir = tempDir();
    const processor = new FluxLoopSpanProcessor({ outputDir: fileDir, reporter: new MemoryReporter() });
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'nulls' }),
      spanProcessors: [processor, new BatchSpanProcessor(new JsonExporter({ url: c.tracesUrl }))],
    });
    const span = provider.getTracer('t').startSpan('with-nulls', {
      attributes: { 'app.strings': ['a', null, 'b'], 'app.ints': [1, null, 3] },
    });
    span.end();
    await provider.forceFlush();
    await processor.flush(10_000);
    await provider.shutdown();
    const fromFile = readRecords(fileDir).observations[0]!;
    expect(fromFile.metadata).toEqual({ 'app.strings': ['a', null, 'b'], 'app.ints': [1, null, 3] });
    expect(c.records('nulls').observations[0]!.metadata).toEqual(fromFile.metadata);
  });
});
