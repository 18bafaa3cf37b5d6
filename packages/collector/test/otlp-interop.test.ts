import type { ObservationRecord } from '@fluxloop/contract';
import { deriveEventId } from '@fluxloop/sdk/projection';
import {
  type Attributes,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { recordNodes, renderTrees, type TreeNode, tree } from '../../sdk/test/helpers/tree.js';
import { cleanup, isoMicros, type Records, schemaProblems, serve, serviceFolders } from './helpers/collector.js';
import { postTraces, type Tap, tap } from './helpers/http.js';
import { jsonBody, protobufBody, SpanFactory } from './helpers/otlp.js';

let taps: Tap[] = [];
afterEach(async () => {
  await Promise.all(taps.map((t) => t.close()));
  taps = [];
  await cleanup();
});

/** Attribute values of every OTel type, arrays included. */
const EVERY_TYPE: Attributes = {
  'app.string': 'hello',
  'app.unicode': 'héllo ✓ 日本語 "quoted" \n newline',
  'app.int': 42,
  'app.negative': -7,
  'app.zero': 0,
  'app.big': 2 ** 40,
  'app.double': 3.25,
  'app.negative_double': -0.5,
  'app.true': true,
  'app.false': false,
  'app.strings': ['a', 'b', ''],
  'app.ints': [1, 2, 3],
  'app.doubles': [1.5, -2.25],
  'app.mixed_numbers': [1, 2.5],
  'app.bools': [true, false],
  'app.empty': [],
};

const REMOTE_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const REMOTE_PARENT = '00f067aa0ba902b7';

/**
 * A realistic agent run, made with the plain OTel API (no FluxLoop code in the client): nested spans typed by
 * fluxloop.observation.type and by GenAI operation names, attributes of every type, span events, an error status
 * with a message, an error recorded only as an exception, a warning level, explicit sub-millisecond times, and a
 * second trace whose root continues a remote parent (W3C traceparent).
 */
function agentRun(tracer: Tracer, base: number): void {
  const under = (parent: Span) => trace.setSpan(ROOT_CONTEXT, parent);
  const root = tracer.startSpan('support-agent', {
    kind: SpanKind.SERVER,
    attributes: { ...EVERY_TYPE, 'fluxloop.observation.type': 'agent', 'gen_ai.agent.name': 'support-agent' },
  });
  const plan = tracer.startSpan('plan', { attributes: { 'fluxloop.observation.type': 'chain' } }, under(root));
  const llm = tracer.startSpan(
    'llm-call',
    {
      kind: SpanKind.CLIENT,
      startTime: [base, 123_456_789],
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 30,
        'gen_ai.response.finish_reasons': ['stop'],
      },
    },
    under(plan),
  );
  llm.addEvent('first-token', { 'chunk.index': 0, 'chunk.text': 'Hel' }, [base, 500_000_000]);
  llm.end([base + 1, 987_654]);
  plan.end();
  const search = tracer.startSpan(
    'search-docs',
    { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search-docs', 'app.ints': [7] } },
    under(root),
  );
  search.end();
  const fetch = tracer.startSpan(
    'fetch-page',
    { attributes: { 'fluxloop.observation.type': 'tool', 'http.response.status_code': 503 } },
    under(root),
  );
  fetch.setStatus({ code: SpanStatusCode.ERROR, message: 'HTTP 503 from docs' });
  fetch.end();
  const parse = tracer.startSpan('parse', {}, under(root));
  parse.recordException(new TypeError('bad json'));
  parse.setStatus({ code: SpanStatusCode.ERROR });
  parse.end();
  const note = tracer.startSpan(
    'note',
    { attributes: { 'fluxloop.level': 'warning', 'app.note': 'slow' } },
    under(root),
  );
  note.end();
  root.addEvent('handoff', { to: 'billing', 'app.tries': 2 });
  root.end();

  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: REMOTE_TRACE,
    spanId: REMOTE_PARENT,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  const handler = tracer.startSpan('handle-request', { kind: SpanKind.SERVER }, remote);
  const db = tracer.startSpan('db-query', { kind: SpanKind.CLIENT, attributes: { 'db.rows': 3 } }, under(handler));
  db.end();
  handler.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
  handler.end();
}

const EXPECTED_TREES = [
  tree`
    handle-request [span] ERROR
      db-query [span]
  `,
  tree`
    support-agent [agent]
      fetch-page [tool] ERROR
      handoff [event]
      note [span]
      parse [span] ERROR
      plan [chain]
        llm-call [generation]
          first-token [event]
      search-docs [tool]
  `,
].sort();

/** Attributes the projection turns into record fields instead of metadata. */
const CONSUMED = new Set(['fluxloop.observation.type', 'fluxloop.level']);

/** The type a span should get: its explicit FluxLoop type, else the GenAI operation's, else span. */
function expectedType(attributes: Attributes): string {
  const own = attributes['fluxloop.observation.type'];
  if (typeof own === 'string') return own;
  const op = attributes['gen_ai.operation.name'];
  return op === 'chat' ? 'generation' : op === 'execute_tool' ? 'tool' : 'span';
}

/** The tree the client's own in-memory exporter saw, as nodes: every span, and every non-exception event. */
function spanTreeNodes(spans: ReadableSpan[]): TreeNode[] {
  const nodes: TreeNode[] = [];
  for (const s of spans) {
    const id = s.spanContext().spanId;
    nodes.push({
      id,
      parentId: s.parentSpanContext?.spanId ?? null,
      traceId: s.spanContext().traceId,
      label: `${s.name} [${expectedType(s.attributes)}]${s.status.code === SpanStatusCode.ERROR ? ' ERROR' : ''}`,
      start: '',
    });
    s.events.forEach((e, i) => {
      if (e.name === 'exception') return;
      nodes.push({
        id: deriveEventId(id, i),
        parentId: id,
        traceId: s.spanContext().traceId,
        label: `${e.name} [event]`,
        start: '',
      });
    });
  }
  return nodes;
}

/** An exporter wrapper that keeps every export result, so a test sees whether the collector accepted each one. */
function recording(inner: SpanExporter, results: ExportResult[]): SpanExporter {
  return {
    export: (spans, done) =>
      inner.export(spans, (result) => {
        results.push(result);
        done(result);
      }),
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

const durationMs = (s: ReadableSpan) =>
  Math.round(((s.endTime[0] - s.startTime[0]) * 1e9 + (s.endTime[1] - s.startTime[1])) / 1e3) / 1e3;

/** Every span's record, field by field, against what the client's in-memory exporter saw. */
function expectRecordsMatchSpans(records: Records, spans: ReadableSpan[]): void {
  const byId = new Map(records.observations.map((o) => [o.id, o]));
  for (const s of spans) {
    const id = s.spanContext().spanId;
    const r = byId.get(id);
    expect(r, `record of span ${s.name}`).toBeDefined();
    const isError = s.status.code === SpanStatusCode.ERROR;
    expect(r).toMatchObject({
      trace_id: s.spanContext().traceId,
      parent_observation_id: s.parentSpanContext?.spanId ?? null,
      name: s.name,
      type: expectedType(s.attributes),
      start_time: isoMicros(s.startTime),
      end_time: isoMicros(s.endTime),
      level: isError ? 'error' : (s.attributes['fluxloop.level'] ?? 'info'),
    });
    expect(r!.duration_ms).toBeCloseTo(durationMs(s), 3);
    const metadata = Object.fromEntries(Object.entries(s.attributes).filter(([k]) => !CONSUMED.has(k)));
    expect(r!.metadata, `metadata of ${s.name}`).toEqual(metadata);
    s.events.forEach((e, i) => {
      if (e.name === 'exception') return;
      const ev = byId.get(deriveEventId(id, i));
      expect(ev, `event ${e.name}`).toMatchObject({
        type: 'event',
        name: e.name,
        parent_observation_id: id,
        trace_id: s.spanContext().traceId,
        start_time: isoMicros(e.time),
        end_time: isoMicros(e.time),
        metadata: e.attributes ?? {},
      });
    });
  }
}

interface Client {
  name: string;
  encoding: 'json' | 'protobuf';
  gzip: boolean;
  make(url: string): SpanExporter;
}

const CLIENTS: Client[] = [
  { name: 'exporter-trace-otlp-http (JSON)', encoding: 'json', gzip: false, make: (url) => new JsonExporter({ url }) },
  {
    name: 'exporter-trace-otlp-http (JSON, gzip)',
    encoding: 'json',
    gzip: true,
    make: (url) => new JsonExporter({ url, compression: CompressionAlgorithm.GZIP }),
  },
  {
    name: 'exporter-trace-otlp-proto (protobuf)',
    encoding: 'protobuf',
    gzip: false,
    make: (url) => new ProtobufExporter({ url }),
  },
  {
    name: 'exporter-trace-otlp-proto (protobuf, gzip)',
    encoding: 'protobuf',
    gzip: true,
    make: (url) => new ProtobufExporter({ url, compression: CompressionAlgorithm.GZIP }),
  },
];

/** An independent client: its own provider, the official exporter in a batch processor, and an in-memory copy. */
async function runClient(client: Client, url: string, resource: Attributes, emit: (tracer: Tracer) => void) {
  const memory = new InMemorySpanExporter();
  const results: ExportResult[] = [];
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new SimpleSpanProcessor(memory), new BatchSpanProcessor(recording(client.make(url), results))],
  });
  emit(provider.getTracer('interop-client', '1.2.3'));
  await provider.forceFlush();
  const spans = [...memory.getFinishedSpans()];
  await provider.shutdown();
  return { spans, results };
}

describe('official OTel exporters → collector', () => {
  for (const client of CLIENTS) {
    it(`${client.name}: the same tree, times, attributes and trace records as the client saw`, async () => {
      const c = await serve();
      const t = await tap(c.tracesUrl);
      taps.push(t);
      const service = `interop-${client.encoding}${client.gzip ? '-gzip' : ''}`;
      const base = Math.floor(Date.now() / 1000);
      const { spans, results } = await runClient(
        client,
        t.url,
        { 'service.name': service, 'deployment.environment': 'test' },
        (tracer) => agentRun(tracer, base),
      );

      // The client really spoke this encoding and compression, and the collector accepted every export.
      expect(t.seen.length).toBeGreaterThan(0);
      for (const seen of t.seen) {
        expect(seen.method).toBe('POST');
        expect(seen.path).toBe('/v1/traces');
        expect(seen.headers['content-type']).toBe(
          client.encoding === 'json' ? 'application/json' : 'application/x-protobuf',
        );
        expect(seen.headers['content-encoding']).toBe(client.gzip ? 'gzip' : undefined);
      }
      expect(results.map((r) => r.code)).toEqual(t.seen.map(() => ExportResultCode.SUCCESS));

      expect(serviceFolders(c.dir)).toEqual([service]);
      const records = c.records(service);
      expect(schemaProblems(records)).toEqual([]);
      expect(spans).toHaveLength(9);
      expect(records.observations).toHaveLength(11); // 9 spans + 2 events (the exception event is no observation)
      expect(renderTrees(recordNodes(records.observations))).toEqual(renderTrees(spanTreeNodes(spans)));
      expect(renderTrees(recordNodes(records.observations))).toEqual(EXPECTED_TREES);
      expectRecordsMatchSpans(records, spans);

      const byName = Object.fromEntries(records.observations.map((o) => [o.name, o])) as Record<
        string,
        ObservationRecord
      >;
      expect(byName['fetch-page']!.status_message).toBe('HTTP 503 from docs');
      expect(byName.parse!.status_message).toBe('TypeError: bad json');
      expect(byName['handle-request']!.status_message).toBe('upstream failed');
      expect(byName.note!.status_message).toBeNull();
      expect(byName.note!.level).toBe('warning');
      expect(byName['llm-call']).toMatchObject({
        model: 'gpt-4o-mini-2024-07-18',
        token_usage: { input_tokens: 120, output_tokens: 30, total_tokens: 150 },
        start_time: isoMicros([base, 123_456_789]),
        end_time: isoMicros([base + 1, 987_654]),
        duration_ms: 877.531,
      });
      expect(byName['llm-call']!.start_time.endsWith('.123456Z')).toBe(true);
      expect(byName['llm-call']!.end_time.endsWith('.000987Z')).toBe(true);
      expect(byName['first-token']!.start_time.endsWith('.500000Z')).toBe(true);
      expect(byName['support-agent']!.metadata).toMatchObject(EVERY_TYPE);
      expect(byName['handle-request']!.parent_observation_id).toBe(REMOTE_PARENT);
      expect(byName['handle-request']!.trace_id).toBe(REMOTE_TRACE);

      // One trace record per local root: the root of the agent run and the span continuing the remote parent.
      const root = spans.find((s) => s.name === 'support-agent')!;
      const handler = spans.find((s) => s.name === 'handle-request')!;
      expect(records.traces).toHaveLength(2);
      const traces = Object.fromEntries(records.traces.map((r) => [r.name, r]));
      expect(traces['support-agent']).toMatchObject({
        trace_id: root.spanContext().traceId,
        root_observation_id: root.spanContext().spanId,
        start_time: isoMicros(root.startTime),
        end_time: isoMicros(root.endTime),
        status: 'success',
        error: null,
        service_name: service,
        token_usage: { input_tokens: 120, output_tokens: 30, total_tokens: 150 },
        observation_count: 9,
      });
      expect(traces['handle-request']).toMatchObject({
        trace_id: REMOTE_TRACE,
        root_observation_id: handler.spanContext().spanId,
        status: 'error',
        error: 'upstream failed',
        service_name: service,
        observation_count: 2,
      });
      expect(c.stats()).toMatchObject({ spans: 9, rejectedSpans: 0, duplicateSpans: 0, errors: {} });
    });
  }

  it('spans whose resource has no service.name land in unknown_service', async () => {
    const c = await serve();
    for (const client of [CLIENTS[0]!, CLIENTS[2]!]) {
      const { results } = await runClient(client, c.tracesUrl, {}, (tracer) => {
        const root = tracer.startSpan(`anonymous-${client.encoding}`);
        tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root)).end();
        root.end();
      });
      expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS]);
    }
    expect(serviceFolders(c.dir)).toEqual(['unknown_service']);
    const records = c.records('unknown_service');
    expect(schemaProblems(records)).toEqual([]);
    expect(records.observations).toHaveLength(4);
    expect(records.traces.map((t) => [t.name, t.service_name]).sort()).toEqual([
      ['anonymous-json', null],
      ['anonymous-protobuf', null],
    ]);
  });

  it('one request holding two resources (services) is split into their two folders', async () => {
    const c = await serve();
    const spans = [...new SpanFactory('svc-a').trace3('op-a'), ...new SpanFactory('svc-b').trace3('op-b')];
    for (const [encoding, body] of [
      ['json', jsonBody(spans)],
      ['protobuf', protobufBody(spans)],
    ] as const) {
      const reply = await postTraces(c.tracesUrl, body, encoding);
      expect(reply.status).toBe(200);
    }
    expect(serviceFolders(c.dir)).toEqual(['svc-a', 'svc-b']);
    expect(c.records('svc-a').traces.map((t) => [t.name, t.service_name])).toEqual([['op-a', 'svc-a']]);
    expect(c.records('svc-b').traces.map((t) => [t.name, t.service_name])).toEqual([['op-b', 'svc-b']]);
    expect(c.records('svc-a').observations).toHaveLength(3);
    expect(c.stats()).toMatchObject({ spans: 6, duplicateSpans: 6 });
  });
});
