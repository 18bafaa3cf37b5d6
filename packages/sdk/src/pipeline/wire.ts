import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Attributes, SpanEventSnapshot, SpanSnapshot } from '../projection/snapshot.js';

/**
 * How finished spans travel from the application's thread to the export thread. A flat tuple instead of an object
 * keeps the structured-clone cost of postMessage (paid on the application's thread) low, and resources, shared by
 * every span of a provider, travel once per batch.
 */
export type WireSpan = [
  name: string,
  kind: number,
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  parentIsRemote: boolean,
  startSeconds: number,
  startNanos: number,
  endSeconds: number,
  endNanos: number,
  statusCode: number,
  statusMessage: string | undefined,
  attributes: Attributes,
  events: SpanEventSnapshot[] | undefined,
  resourceIndex: number,
  scopeName: string,
];

export interface WireBatch {
  seq: number;
  resources: Attributes[];
  spans: WireSpan[];
}

/** Builds batches, interning each distinct resource once per batch. */
export class WireBatchBuilder {
  private spans: WireSpan[] = [];
  private resources: Attributes[] = [];
  private resourceIndex = new Map<object, number>();

  get size(): number {
    return this.spans.length;
  }

  add(span: ReadableSpan): void {
    const context = span.spanContext();
    const parent = span.parentSpanContext;
    let resourceIndex = this.resourceIndex.get(span.resource);
    if (resourceIndex === undefined) {
      resourceIndex = this.resources.length;
      this.resources.push(span.resource.attributes as Attributes);
      this.resourceIndex.set(span.resource, resourceIndex);
    }
    this.spans.push([
      span.name,
      span.kind,
      context.traceId,
      context.spanId,
      parent?.spanId,
      parent?.isRemote === true,
      span.startTime[0],
      span.startTime[1],
      span.endTime[0],
      span.endTime[1],
      span.status.code,
      span.status.message,
      span.attributes as Attributes,
      span.events.length > 0 ? (span.events as SpanEventSnapshot[]) : undefined,
      resourceIndex,
      span.instrumentationScope.name,
    ]);
  }

  take(seq: number): WireBatch {
    const batch = { seq, resources: this.resources, spans: this.spans };
    this.spans = [];
    this.resources = [];
    this.resourceIndex = new Map();
    return batch;
  }
}

export function decodeSpan(w: WireSpan, resources: Attributes[]): SpanSnapshot {
  return {
    name: w[0],
    kind: w[1],
    traceId: w[2],
    spanId: w[3],
    parentSpanId: w[4],
    parentIsRemote: w[5],
    startTime: [w[6], w[7]],
    endTime: [w[8], w[9]],
    statusCode: w[10],
    statusMessage: w[11],
    attributes: w[12],
    events: w[13],
    resource: resources[w[14]] ?? {},
    scopeName: w[15],
  };
}
