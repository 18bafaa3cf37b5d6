import type {
  ConversationTurn,
  DurationStats,
  ExperimentResults,
  ExperimentSummary,
  ObservationRecord,
  RecordBatchPayload,
  TokenUsage,
  TraceRecord,
  TraceSummaryRecord,
} from '../src/records.js';

// Typed literals with every field, optional ones included: renaming or adding a field in records.ts breaks the
// type check here, and the tests then prove the schemas accept exactly these shapes.

export const fullTokenUsage = {
  input_tokens: 412,
  output_tokens: 58,
  total_tokens: 470,
  cache_read_input_tokens: 128,
  cache_creation_input_tokens: 0,
  reasoning_tokens: 12,
} satisfies Required<TokenUsage>;

export const traceRecord = {
  schema_version: '1.0',
  trace_id: '5376a502c08772600400d69643693c69',
  root_observation_id: 'c2b40d5bb6641469',
  name: 'support_agent',
  start_time: '2026-11-22T10:00:00.120431Z',
  end_time: '2026-11-22T10:00:02.467812Z',
  duration_ms: 2347.381,
  status: 'success',
  input: { message: 'Where is my order #1042?' },
  output: { reply: 'Shipped yesterday.' },
  error: null,
  metadata: { channel: 'web', nested: { a: [1, true, null] } },
  tags: ['support'],
  session_id: 'sess_1',
  user_id: 'user_1',
  experiment_id: 'exp_1',
  iteration: 0,
  persona: 'frustrated_customer',
  service_name: 'support-bot',
  token_usage: fullTokenUsage,
  observation_count: 5,
} satisfies Required<TraceRecord>;

export const observationRecord = {
  schema_version: '1.0',
  id: 'f63a324c4a263788',
  trace_id: '5376a502c08772600400d69643693c69',
  parent_observation_id: 'c2b40d5bb6641469',
  type: 'generation',
  name: 'chat gpt-4o-mini',
  start_time: '2026-11-22T10:00:00.121002Z',
  end_time: '2026-11-22T10:00:00.934417Z',
  duration_ms: 813.415,
  level: 'info',
  input: [{ role: 'user', content: 'hi' }],
  output: 'hello',
  status_message: null,
  metadata: { 'gen_ai.system': 'openai' },
  model: 'gpt-4o-mini',
  token_usage: fullTokenUsage,
} satisfies Required<ObservationRecord>;

export const conversationTurn = { role: 'assistant', content: 'Sure!' } satisfies Required<ConversationTurn>;

export const traceSummaryRecord = {
  schema_version: '1.0',
  trace_id: '5376a502c08772600400d69643693c69',
  iteration: 1,
  persona: null,
  input: 'hi',
  output: null,
  duration_ms: 2351.2,
  success: false,
  error: 'boom',
  token_usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
  conversation: [{ role: 'user', content: 'hi' }, conversationTurn],
  attempts: 2,
} satisfies Required<TraceSummaryRecord>;

export const durationStats = { avg_ms: 10.5, p50_ms: 9, p95_ms: 20, max_ms: 21.25 } satisfies Required<DurationStats>;

export const experimentResults = {
  total_runs: 4,
  successful: 3,
  failed: 1,
  success_rate: 0.75,
  duration: durationStats,
  token_usage: fullTokenUsage,
} satisfies Required<ExperimentResults>;

export const experimentSummary = {
  schema_version: '1.0',
  experiment_id: 'exp_1',
  name: 'support-bot regression',
  started_at: '2026-11-22T10:00:00Z',
  finished_at: '2026-11-22T10:00:05.210337123Z',
  status: 'completed',
  config: { iterations: 2, llm: { api_key: '[REDACTED]' } },
  results: experimentResults,
} satisfies Required<ExperimentSummary>;

export const recordBatch = {
  batch_id: '3f1c9a52-8d0e-4b7a-9c61-2e5d7f04a8b3',
  service_name: 'support-bot',
  traces: [traceRecord],
  observations: [observationRecord, { ...observationRecord, id: '4bd67aff631c1955', token_usage: null, model: null }],
} satisfies Required<RecordBatchPayload>;

/** Deep copy to mutate in a test without touching the shared fixtures. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
