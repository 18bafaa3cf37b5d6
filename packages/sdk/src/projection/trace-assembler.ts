import { type JsonObject, type JsonValue, SCHEMA_VERSION, type TokenUsage, type TraceRecord } from '@fluxloop/contract';
import * as A from '../semconv.js';
import { exceptionMessage, isTrustedSource, type ObservationDraft, projectObservations } from './observation.js';
import { jsonPayload, type Payload } from './payload.js';
import { type Attributes, isLocalRoot, type SpanSnapshot, StatusCode } from './snapshot.js';
import { durationMs, isoFromHrTime } from './time.js';

export type TraceDraft = Omit<TraceRecord, 'input' | 'output'> & { input: Payload; output: Payload };

export interface ProjectedSpan {
  observations: ObservationDraft[];
  /** Present when the span is a local root: the trace record it completes. */
  trace?: TraceDraft;
}

export interface TraceAssemblerOptions {
  /** Traces whose local root has not ended yet that are tracked at once; the oldest is forgotten beyond this. */
  maxOpenTraces?: number;
  /**
   * Whether JSON payload attributes of FluxLoop's own instrumentation scopes are spliced into records unchecked
   * (default true, right for spans from this process). The collector sets it false: over the network anyone
   * can claim a scope name.
   */
  trustPayloads?: boolean;
}

/** What a trace accumulates from its spans until its local root ends. */
interface OpenTrace {
  observationCount: number;
  usage: TokenUsage;
  tags: Set<string>;
  metadata: JsonObject;
  fields: Partial<Record<'session_id' | 'user_id' | 'experiment_id' | 'persona' | 'name', string>> & {
    iteration?: number;
  };
  input?: Payload;
  output?: Payload;
}

function emptyTrace(): OpenTrace {
  return {
    observationCount: 0,
    usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    tags: new Set(),
    metadata: {},
    fields: {},
  };
}

function addUsage(total: TokenUsage, usage: TokenUsage): void {
  total.input_tokens += usage.input_tokens;
  total.output_tokens += usage.output_tokens;
  total.total_tokens += usage.total_tokens;
  for (const key of ['cache_read_input_tokens', 'cache_creation_input_tokens', 'reasoning_tokens'] as const) {
    if (usage[key] !== undefined) total[key] = (total[key] ?? 0) + usage[key];
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Trace-level fields can be set on any span of the trace (updateTrace() inside a nested call, a LangChain run
 * with a thread id). `override` is true for the local root, whose values win over its descendants'.
 */
function collectTraceFields(open: OpenTrace, a: Attributes, trusted: boolean, override: boolean): void {
  const set = <K extends keyof OpenTrace['fields']>(key: K, value: OpenTrace['fields'][K] | undefined) => {
    if (value !== undefined && (override || open.fields[key] === undefined)) open.fields[key] = value;
  };
  set('session_id', str(a[A.SESSION_ID]) ?? str(a[A.GEN_AI_CONVERSATION_ID]));
  set('user_id', str(a[A.USER_ID]));
  set('experiment_id', str(a[A.FLUXLOOP_EXPERIMENT_ID]));
  set('persona', str(a[A.FLUXLOOP_EXPERIMENT_PERSONA]));
  set('name', str(a[A.FLUXLOOP_TRACE_NAME]));
  const iteration = a[A.FLUXLOOP_EXPERIMENT_ITERATION];
  set('iteration', typeof iteration === 'number' && Number.isInteger(iteration) ? iteration : undefined);
  const tags = a[A.FLUXLOOP_TRACE_TAGS];
  if (Array.isArray(tags)) for (const tag of tags) if (typeof tag === 'string') open.tags.add(tag);
  const metadata = jsonPayload(a[A.FLUXLOOP_TRACE_METADATA], false);
  if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
    for (const [key, value] of Object.entries(metadata as Record<string, JsonValue>)) {
      if (override || !(key in open.metadata)) open.metadata[key] = value;
    }
  }
  const input = jsonPayload(a[A.FLUXLOOP_TRACE_INPUT], trusted);
  if (input !== undefined && (override || open.input === undefined)) open.input = input;
  const output = jsonPayload(a[A.FLUXLOOP_TRACE_OUTPUT], trusted);
  if (output !== undefined && (override || open.output === undefined)) open.output = output;
}

/**
 * Turns spans, in the order they end, into observation records and, when a local root ends, its trace record.
 * It keeps per-trace state only between a trace's first ended span and its local root's end, bounded by
 * maxOpenTraces, so a root that never ends cannot grow memory without limit.
 */
export class TraceAssembler {
  private readonly open = new Map<string, OpenTrace>();
  private readonly maxOpenTraces: number;
  private readonly trustPayloads: boolean;
  /** Traces dropped from tracking because too many were open; their records lose trace-level totals only. */
  evicted = 0;

  constructor(options: TraceAssemblerOptions = {}) {
    this.maxOpenTraces = options.maxOpenTraces ?? 10_000;
    this.trustPayloads = options.trustPayloads ?? true;
  }

  get openTraceCount(): number {
    return this.open.size;
  }

  add(span: SpanSnapshot): ProjectedSpan {
    const observations = projectObservations(span, this.trustPayloads);
    const root = isLocalRoot(span);
    let open = this.open.get(span.traceId);
    if (!open) {
      open = emptyTrace();
      if (!root) this.track(span.traceId, open);
    }
    open.observationCount += observations.length;
    const first = observations[0]!;
    if (first.token_usage) addUsage(open.usage, first.token_usage);
    collectTraceFields(open, span.attributes, this.trustPayloads && isTrustedSource(span), root);
    if (!root) return { observations };
    this.open.delete(span.traceId);
    return { observations, trace: this.traceRecord(span, first, open) };
  }

  private track(traceId: string, open: OpenTrace): void {
    if (this.open.size >= this.maxOpenTraces) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
      this.evicted++;
    }
    this.open.set(traceId, open);
  }

  private traceRecord(span: SpanSnapshot, root: ObservationDraft, open: OpenTrace): TraceDraft {
    const isError = span.statusCode === StatusCode.error;
    const service = span.resource[A.SERVICE_NAME];
    return {
      schema_version: SCHEMA_VERSION,
      trace_id: span.traceId,
      root_observation_id: span.spanId,
      name: open.fields.name ?? span.name,
      start_time: root.start_time,
      end_time: isoFromHrTime(span.endTime),
      duration_ms: durationMs(span.startTime, span.endTime),
      status: isError ? 'error' : 'success',
      input: open.input ?? root.input,
      output: open.output ?? root.output,
      error: isError ? span.statusMessage || exceptionMessage(span.events) || 'error' : null,
      metadata: open.metadata,
      tags: [...open.tags],
      session_id: open.fields.session_id ?? null,
      user_id: open.fields.user_id ?? null,
      experiment_id: open.fields.experiment_id ?? null,
      iteration: open.fields.iteration ?? null,
      persona: open.fields.persona ?? null,
      service_name: typeof service === 'string' ? service : null,
      token_usage: open.usage,
      observation_count: open.observationCount,
    };
  }
}
