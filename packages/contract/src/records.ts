/**
 * The FluxLoop record and artifact shapes. These are the JSON contract users build on:
 * every field here is documented in docs/json-contract.md and mirrored by a JSON Schema
 * under schemas/. Change all three together.
 */

/** Version stamped on every record. Bump the minor for additive changes, the major for breaking ones. */
export const SCHEMA_VERSION = '1.0' as const;
export type SchemaVersion = typeof SCHEMA_VERSION;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const OBSERVATION_TYPES = [
  'agent',
  'chain',
  'generation',
  'tool',
  'retriever',
  'span',
  'event',
  'evaluation',
] as const;
export type ObservationType = (typeof OBSERVATION_TYPES)[number];

export const OBSERVATION_LEVELS = ['debug', 'info', 'warning', 'error'] as const;
export type ObservationLevel = (typeof OBSERVATION_LEVELS)[number];

export type TraceStatus = 'success' | 'error';

/** Token counts as reported by the model provider. Optional details appear only when the provider reports them. */
export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  /** Input tokens served from the provider's prompt cache. */
  cache_read_input_tokens?: number;
  /** Input tokens written to the provider's prompt cache. */
  cache_creation_input_tokens?: number;
  /** Output tokens spent on hidden reasoning. */
  reasoning_tokens?: number;
}

/** One line of traces.jsonl: one OpenTelemetry trace as seen from its local root span. */
export interface TraceRecord {
  schema_version: SchemaVersion;
  /** OTel trace id, 32 lowercase hex characters. */
  trace_id: string;
  /** Span id of the local root span this record was built from (16 hex). */
  root_observation_id: string;
  name: string;
  start_time: string;
  end_time: string;
  duration_ms: number;
  status: TraceStatus;
  input: JsonValue;
  output: JsonValue;
  error: string | null;
  metadata: JsonObject;
  tags: string[];
  session_id: string | null;
  user_id: string | null;
  experiment_id: string | null;
  iteration: number | null;
  persona: string | null;
  /** `service.name` of the OTel resource that produced the root span. */
  service_name: string | null;
  /** Sum over the generation observations of the trace that ended before its root. */
  token_usage: TokenUsage;
  /** Observations of the trace written up to and including the root (span events count as observations). */
  observation_count: number;
}

/** One line of observations.jsonl: one OTel span, or one span event. */
export interface ObservationRecord {
  schema_version: SchemaVersion;
  /** OTel span id (16 hex); for span events, an id derived from the span id and event index. */
  id: string;
  trace_id: string;
  /** OTel parent span id, null at the root of the trace. */
  parent_observation_id: string | null;
  type: ObservationType;
  name: string;
  start_time: string;
  end_time: string;
  duration_ms: number;
  level: ObservationLevel;
  input: JsonValue;
  output: JsonValue;
  status_message: string | null;
  metadata: JsonObject;
  /** Model name for generations (response model if reported, else request model); null otherwise. */
  model: string | null;
  /** Token usage for generations; null when not reported or not a generation. */
  token_usage: TokenUsage | null;
}

export interface ConversationTurn {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: JsonValue;
}

/** One line of trace_summary.jsonl: one experiment run, failed runs included. */
export interface TraceSummaryRecord {
  schema_version: SchemaVersion;
  /** Trace id of the run; null only when the run failed before a trace existed. */
  trace_id: string | null;
  /** 0-based iteration number. */
  iteration: number;
  persona: string | null;
  input: JsonValue;
  output: JsonValue;
  duration_ms: number;
  success: boolean;
  error: string | null;
  token_usage: TokenUsage;
  /** Multi-turn runs only; null otherwise. */
  conversation: ConversationTurn[] | null;
  /** Attempts the run took (1, more when `retries` were used); the line describes the last one. Optional. */
  attempts?: number;
}

export interface DurationStats {
  avg_ms: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
}

export interface ExperimentResults {
  total_runs: number;
  successful: number;
  failed: number;
  /** successful / total_runs, 0 when there were no runs. */
  success_rate: number;
  duration: DurationStats;
  token_usage: TokenUsage;
}

/** summary.json of an experiment folder. */
export interface ExperimentSummary {
  schema_version: SchemaVersion;
  experiment_id: string;
  name: string;
  started_at: string;
  finished_at: string;
  status: 'completed' | 'interrupted';
  /** The effective configuration of the run, with secrets replaced by a redaction marker. */
  config: JsonObject;
  results: ExperimentResults;
}

/** Names of the files an experiment folder holds. */
export const ARTIFACT_FILES = {
  summary: 'summary.json',
  traceSummary: 'trace_summary.jsonl',
  traces: 'traces.jsonl',
  observations: 'observations.jsonl',
} as const;

/** Body of `POST {collectorUrl}/v1/fluxloop/records`. */
export interface RecordBatchPayload {
  /** Idempotency key: the collector stores a batch id at most once. */
  batch_id: string;
  /** `service.name` of the sending process: the collector stores the batch in that service's folder. */
  service_name?: string;
  traces: TraceRecord[];
  observations: ObservationRecord[];
}
