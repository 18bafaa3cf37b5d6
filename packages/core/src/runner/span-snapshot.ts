import type { Attributes, HrTime, SpanEventSnapshot, SpanSnapshot } from '@fluxloop/sdk/projection';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

const ERROR = 2;

/** An ended SDK span as the projection's plain snapshot (what the SDK's processor builds on its side too). */
export function snapshotOf(span: ReadableSpan): SpanSnapshot {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  return {
    name: span.name,
    kind: span.kind,
    traceId: context.traceId,
    spanId: context.spanId,
    ...(parent ? { parentSpanId: parent.spanId, parentIsRemote: parent.isRemote === true } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    statusCode: span.status.code,
    ...(span.status.message ? { statusMessage: span.status.message } : {}),
    attributes: span.attributes as Attributes,
    ...(span.events.length > 0 ? { events: span.events as SpanEventSnapshot[] } : {}),
    resource: span.resource.attributes as Attributes,
    scopeName: span.instrumentationScope.name,
  };
}

export function hrTimeNow(): HrTime {
  const ms = performance.timeOrigin + performance.now();
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/**
 * A span that was still open when its run ended (timed out, interrupted): what it holds so far, ended now with an
 * error status saying why. Written in its place so the trace keeps every parent its children point at; the
 * span's real end, if it ever comes, is dropped with the run's other late spans.
 */
export function unfinishedSnapshotOf(span: ReadableSpan, reason: string, end: HrTime): SpanSnapshot {
  return { ...snapshotOf(span), endTime: end, statusCode: ERROR, statusMessage: `unfinished: ${reason}` };
}
