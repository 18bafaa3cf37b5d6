import type { ObservationRecord, TraceRecord } from '@fluxloop/contract';
import type { SpanSnapshot } from '@fluxloop/sdk/projection';
import { ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { RunSpanProcessor } from '../../src/runner/runner-tracing.js';
import { SpanRouter } from '../../src/runner/span-router.js';

/** A router fed by a real (unregistered) SDK provider, writing into arrays. */
function setup() {
  const router = new SpanRouter();
  const written = { observations: [] as ObservationRecord[], traces: [] as TraceRecord[] };
  router.connect({
    observations: (lines) => written.observations.push(...lines.map((l) => JSON.parse(l))),
    trace: (line) => written.traces.push(JSON.parse(line)),
  });
  const provider = new BasicTracerProvider({ spanProcessors: [new RunSpanProcessor(router)] });
  providers.push(provider);
  const tracer = provider.getTracer('test');
  /** A run's root span, opened in the router like the orchestrator does. */
  const openRun = (buffered = false) => {
    const root = tracer.startSpan('./agent.ts:run', {}, ROOT_CONTEXT);
    const { traceId, spanId } = root.spanContext();
    router.open(traceId, spanId, { buffered });
    const child = (name: string, parent: Span = root) =>
      tracer.startSpan(name, {}, trace.setSpan(ROOT_CONTEXT, parent));
    return { root, traceId, spanId, child };
  };
  return { router, written, tracer, openRun };
}

const providers: BasicTracerProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) await p.shutdown();
});

let nextSpan = 1;
/** A span as the OTLP receiver would deliver it from another process. */
function remoteSpan(traceId: string, fields: Partial<SpanSnapshot> = {}): SpanSnapshot {
  const spanId = (nextSpan++).toString(16).padStart(16, 'a');
  return {
    name: 'remote-step',
    kind: 1,
    traceId,
    spanId,
    startTime: [1_700_000_000, 0],
    endTime: [1_700_000_000, 5_000_000],
    statusCode: 0,
    attributes: {},
    resource: { 'service.name': 'remote-agent' },
    scopeName: 'remote',
    ...fields,
  };
}

const shape = (o: ObservationRecord) => ({ id: o.id, parent: o.parent_observation_id, name: o.name });

describe('SpanRouter: one trace record per run', () => {
  it('local children are written as they end; the root completes the trace at finalize', () => {
    const { router, written, openRun } = setup();
    const run = openRun();
    const agent = run.child('agent');
    const tool = run.child('tool', agent);
    tool.end();
    agent.end();
    expect(written.observations.map((o) => o.name)).toEqual(['tool', 'agent']);
    run.root.end();
    expect(written.traces).toEqual([]); // held until finalize
    const record = router.finalize(run.traceId, { keep: true, unfinishedReason: 'n/a' });
    expect(written.observations.map(shape)).toEqual([
      { id: tool.spanContext().spanId, parent: agent.spanContext().spanId, name: 'tool' },
      { id: agent.spanContext().spanId, parent: run.spanId, name: 'agent' },
      { id: run.spanId, parent: null, name: './agent.ts:run' },
    ]);
    expect(written.traces.map((t) => [t.trace_id, t.root_observation_id, t.observation_count])).toEqual([
      [run.traceId, run.spanId, 3],
    ]);
    expect(record?.trace_id).toBe(run.traceId);
  });

  it('remote spans: a remote parent or no parent makes a child of the run root, token usage is summed', () => {
    const { router, written, openRun } = setup();
    const run = openRun();
    const top = remoteSpan(run.traceId, { parentSpanId: run.spanId, parentIsRemote: true, name: 'server' });
    const orphan = remoteSpan(run.traceId, { name: 'orphan' });
    const generation = remoteSpan(run.traceId, {
      parentSpanId: top.spanId,
      name: 'chat',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 30,
        'gen_ai.usage.output_tokens': 12,
      },
    });
    router.received([generation, top, orphan]);
    run.root.end();
    const record = router.finalize(run.traceId, { keep: true, unfinishedReason: 'n/a' });
    expect(written.observations.map(shape)).toEqual([
      { id: generation.spanId, parent: top.spanId, name: 'chat' },
      { id: top.spanId, parent: run.spanId, name: 'server' },
      { id: orphan.spanId, parent: run.spanId, name: 'orphan' },
      { id: run.spanId, parent: null, name: './agent.ts:run' },
    ]);
    expect(written.traces).toHaveLength(1);
    expect(record?.token_usage).toEqual({ input_tokens: 30, output_tokens: 12, total_tokens: 42 });
    expect(record?.observation_count).toBe(4);
  });

  it('spans of unknown traces and spans arriving after finalize are dropped and counted', () => {
    const { router, written, openRun } = setup();
    const run = openRun();
    run.root.end();
    router.finalize(run.traceId, { keep: true, unfinishedReason: 'n/a' });
    router.received([remoteSpan('0123456789abcdef0123456789abcdef'), remoteSpan(run.traceId)]);
    router.received([remoteSpan(run.traceId)]);
    expect(written.observations).toHaveLength(1);
    expect(router.stats()).toEqual({ droppedSpans: 3, lateSpans: 2, discardedSpans: 0, unfinishedSpans: 0 });
  });

  it('a span still open at finalize is written as unfinished; its real end later is dropped', () => {
    const { router, written, openRun } = setup();
    const run = openRun();
    const hanging = run.child('slow-tool');
    const inner = run.child('inner', hanging);
    inner.end();
    run.root.end();
    router.finalize(run.traceId, { keep: true, unfinishedReason: 'the run timed out' });
    hanging.end();
    const unfinished = written.observations.find((o) => o.name === 'slow-tool');
    expect(unfinished).toMatchObject({ level: 'error', status_message: 'unfinished: the run timed out' });
    expect(written.observations.map(shape)).toEqual([
      { id: inner.spanContext().spanId, parent: hanging.spanContext().spanId, name: 'inner' },
      { id: hanging.spanContext().spanId, parent: run.spanId, name: 'slow-tool' },
      { id: run.spanId, parent: null, name: './agent.ts:run' },
    ]);
    expect(written.traces[0]?.observation_count).toBe(3);
    expect(router.stats()).toMatchObject({ unfinishedSpans: 1, droppedSpans: 1, lateSpans: 1 });
  });

  it('a buffered attempt writes nothing until kept, and nothing at all when discarded', () => {
    const { router, written, openRun } = setup();
    const failed = openRun(true);
    failed.child('step').end();
    failed.root.end();
    expect(written.observations).toEqual([]);
    expect(router.finalize(failed.traceId, { keep: false, unfinishedReason: 'n/a' })).toBeUndefined();
    const kept = openRun(true);
    kept.child('step').end();
    kept.root.end();
    expect(written.observations).toEqual([]);
    router.finalize(kept.traceId, { keep: true, unfinishedReason: 'n/a' });
    expect(written.observations.map((o) => [o.trace_id, o.name])).toEqual([
      [kept.traceId, 'step'],
      [kept.traceId, './agent.ts:run'],
    ]);
    expect(written.traces.map((t) => t.trace_id)).toEqual([kept.traceId]);
    expect(router.stats().discardedSpans).toBe(2);
  });
});
