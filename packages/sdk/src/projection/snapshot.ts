/**
 * A finished span as plain data. The processor builds it from an SDK ReadableSpan; the collector will build it from
 * OTLP. Everything downstream (projection to records, storage) works on this shape only, so there is one projection
 * for every source of spans.
 */
export type HrTime = [seconds: number, nanos: number];

export type AttributeValue =
  | string
  | number
  | boolean
  | Array<string | null | undefined>
  | Array<number | null | undefined>
  | Array<boolean | null | undefined>;

export type Attributes = Record<string, AttributeValue | undefined>;

export interface SpanEventSnapshot {
  name: string;
  time: HrTime;
  attributes?: Attributes;
}

/** OTel status codes (api SpanStatusCode). */
export const StatusCode = { unset: 0, ok: 1, error: 2 } as const;

export interface SpanSnapshot {
  name: string;
  /** OTel SpanKind number. */
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** True when the parent lives in another process (W3C traceparent, OTLP remote parent). */
  parentIsRemote?: boolean;
  startTime: HrTime;
  endTime: HrTime;
  statusCode: number;
  statusMessage?: string;
  attributes: Attributes;
  events?: SpanEventSnapshot[];
  /** Attributes of the OTel resource that produced the span (service.name, ...). */
  resource: Attributes;
  /** Instrumentation scope name (tracer name). */
  scopeName: string;
}

/**
 * A local root is a span whose parent is not known to this process: no parent, or a remote one.
 * Its end is when the trace record is written.
 */
export function isLocalRoot(span: Pick<SpanSnapshot, 'parentSpanId' | 'parentIsRemote'>): boolean {
  return !span.parentSpanId || span.parentIsRemote === true;
}
