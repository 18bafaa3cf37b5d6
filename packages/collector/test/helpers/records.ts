import { randomUUID } from 'node:crypto';
import type { ObservationRecord, RecordBatchPayload, TraceRecord } from '@fluxloop/contract';
import { spanId, traceId } from './otlp.js';

/**
 * A record batch in the shape the SDK's HTTP storage posts to /v1/fluxloop/records: one trace of a root agent
 * and `children` tool observations under it.
 */
export function recordBatch(
  options: { children?: number; serviceName?: string; batchId?: string; name?: string } = {},
): RecordBatchPayload {
  const trace = traceId();
  const root = spanId();
  const start = new Date(Date.now() - 1000).toISOString().replace('Z', '000Z');
  const end = new Date().toISOString().replace('Z', '000Z');
  const observation = (id: string, parent: string | null, type: 'agent' | 'tool', name: string): ObservationRecord => ({
    schema_version: '1.0',
    id,
    trace_id: trace,
    parent_observation_id: parent,
    type,
    name,
    start_time: start,
    end_time: end,
    duration_ms: 1000,
    level: 'info',
    input: { question: 'q' },
    output: 'a',
    status_message: null,
    metadata: { 'app.key': 'v' },
    model: null,
    token_usage: null,
  });
  const children = Array.from({ length: options.children ?? 2 }, (_, i) =>
    observation(spanId(), root, 'tool', `tool-${i}`),
  );
  const traceRecord: TraceRecord = {
    schema_version: '1.0',
    trace_id: trace,
    root_observation_id: root,
    name: options.name ?? 'batch-agent',
    start_time: start,
    end_time: end,
    duration_ms: 1000,
    status: 'success',
    input: { question: 'q' },
    output: 'a',
    error: null,
    metadata: {},
    tags: ['batch'],
    session_id: null,
    user_id: null,
    experiment_id: null,
    iteration: null,
    persona: null,
    service_name: options.serviceName ?? null,
    token_usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    observation_count: children.length + 1,
  };
  return {
    batch_id: options.batchId ?? randomUUID(),
    ...(options.serviceName ? { service_name: options.serviceName } : {}),
    traces: [traceRecord],
    observations: [...children, observation(root, null, 'agent', options.name ?? 'batch-agent')],
  };
}
