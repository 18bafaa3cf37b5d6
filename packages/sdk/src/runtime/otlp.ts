import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ResolvedOtlp } from '../config/types.js';

/** Spans held for OTLP export at most; the OTel batch processor drops beyond it. */
const OTLP_QUEUE = 16_384;
const OTLP_BATCH = 512;

/**
 * OTLP/HTTP export of the same spans that feed FluxLoop records, through the official exporters, to any OTel
 * backend (Jaeger, Tempo, Langfuse, Phoenix, an OTel Collector). The exporter's concurrency limit is raised to
 * the number of batches the queue can hold: forceFlush() sends every queued batch at once, and with OTel's
 * default limit of 30 the batches past it would be rejected and lost.
 */
export function createOtlpProcessor(otlp: ResolvedOtlp, scheduledDelayMillis: number): SpanProcessor {
  const options = {
    url: otlp.endpoint,
    headers: otlp.headers,
    timeoutMillis: otlp.timeoutMs,
    concurrencyLimit: Math.ceil(OTLP_QUEUE / OTLP_BATCH) + 1,
    ...(otlp.compression === 'gzip' ? { compression: 'gzip' as never } : {}),
  };
  const exporter = otlp.protocol === 'http/json' ? new JsonExporter(options) : new ProtobufExporter(options);
  return new BatchSpanProcessor(exporter, {
    maxQueueSize: OTLP_QUEUE,
    maxExportBatchSize: OTLP_BATCH,
    scheduledDelayMillis,
    exportTimeoutMillis: otlp.timeoutMs,
  });
}
