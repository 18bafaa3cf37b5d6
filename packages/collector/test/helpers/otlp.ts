import { randomBytes } from 'node:crypto';
import { type Attributes, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export const traceId = (): string => randomBytes(16).toString('hex');
export const spanId = (): string => randomBytes(8).toString('hex');

/** OTLP/JSON and protobuf request bodies of real SDK spans, made by the official serializers. */
export const jsonBody = (spans: ReadableSpan[]): Uint8Array => JsonTraceSerializer.serializeRequest(spans)!;
export const protobufBody = (spans: ReadableSpan[]): Uint8Array => ProtobufTraceSerializer.serializeRequest(spans)!;

/**
 * Real spans from a real (unregistered) tracer provider with an in-memory exporter: `trace3()` makes one trace
 * of a root and two children, ended children first as in real code.
 */
export class SpanFactory {
  private readonly exporter = new InMemorySpanExporter();
  private readonly provider: BasicTracerProvider;

  constructor(serviceName: string | undefined = 'factory-svc') {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes(serviceName ? { 'service.name': serviceName } : {}),
      spanProcessors: [new SimpleSpanProcessor(this.exporter)],
    });
  }

  /** Root `name` with children `${name}.a` and `${name}.b`; returns the three ended spans (root last). */
  trace3(name: string, attributes: Attributes = {}): ReadableSpan[] {
    const tracer = this.provider.getTracer('factory');
    const root = tracer.startSpan(name, { attributes });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    const children: Span[] = ['a', 'b'].map((c) => tracer.startSpan(`${name}.${c}`, { attributes }, ctx));
    for (const c of children) c.end();
    root.end();
    const ids = new Set([root, ...children].map((s) => s.spanContext().spanId));
    const spans = this.exporter.getFinishedSpans().filter((s) => ids.has(s.spanContext().spanId));
    this.exporter.reset();
    return spans;
  }
}

/** A copy of a ReadableSpan with other ids: how a buggy or hostile client's spans look once serialized. */
export function withIds(base: ReadableSpan, ids: { traceId?: string; spanId?: string }): ReadableSpan {
  const context = { ...base.spanContext(), ...ids };
  return {
    name: base.name,
    kind: base.kind,
    spanContext: () => context,
    parentSpanContext: base.parentSpanContext,
    startTime: base.startTime,
    endTime: base.endTime,
    status: base.status,
    attributes: base.attributes,
    links: base.links,
    events: base.events,
    duration: base.duration,
    ended: true,
    resource: base.resource,
    instrumentationScope: base.instrumentationScope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

type Json = Record<string, unknown>;

/** A minimal valid OTLP/JSON span (hex ids, string nanosecond times), with `over` laid on top. */
export function jsonSpan(over: Json = {}): Json {
  const start = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId: traceId(),
    spanId: spanId(),
    name: 'hand-made',
    kind: 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 1_500_000n),
    attributes: [{ key: 'k', value: { stringValue: 'v' } }],
    status: {},
    ...over,
  };
}

/** An OTLP/JSON ExportTraceServiceRequest of one resource (service.name when given) and one scope. */
export function jsonRequest(spans: unknown[], serviceName?: string): Json {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: serviceName ? [{ key: 'service.name', value: { stringValue: serviceName } }] : [],
        },
        scopeSpans: [{ scope: { name: 'hand-made-scope' }, spans }],
      },
    ],
  };
}
