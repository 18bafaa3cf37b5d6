import {
  type JsonObject,
  type JsonValue,
  OBSERVATION_LEVELS,
  OBSERVATION_TYPES,
  type ObservationLevel,
  type ObservationRecord,
  type ObservationType,
  SCHEMA_VERSION,
  type TokenUsage,
} from '@fluxloop/contract';
import * as A from '../semconv.js';
import { deriveEventId } from './ids.js';
import { JsonText, jsonPayload, type Payload, textPayload } from './payload.js';
import { type Attributes, type SpanEventSnapshot, type SpanSnapshot, StatusCode } from './snapshot.js';
import { durationMs, isoFromHrTime } from './time.js';

/** An observation record whose input and output may still be JSON text (see JsonText). */
export type ObservationDraft = Omit<ObservationRecord, 'input' | 'output'> & { input: Payload; output: Payload };

const TYPES = new Set<string>(OBSERVATION_TYPES);
const LEVELS = new Set<string>(OBSERVATION_LEVELS);

const OPENINFERENCE_TYPES: Record<string, ObservationType> = {
  LLM: 'generation',
  EMBEDDING: 'generation',
  CHAIN: 'chain',
  TOOL: 'tool',
  RETRIEVER: 'retriever',
  RERANKER: 'retriever',
  AGENT: 'agent',
  EVALUATOR: 'evaluation',
};

const GEN_AI_TYPES: Record<string, ObservationType> = {
  [A.GenAiOperation.chat]: 'generation',
  [A.GenAiOperation.textCompletion]: 'generation',
  [A.GenAiOperation.generateContent]: 'generation',
  [A.GenAiOperation.embeddings]: 'generation',
  [A.GenAiOperation.executeTool]: 'tool',
  [A.GenAiOperation.invokeAgent]: 'agent',
  [A.GenAiOperation.createAgent]: 'agent',
};

/** Our explicit type wins, then OpenInference's span kind, then the GenAI operation name. */
export function observationType(attributes: Attributes): ObservationType {
  const own = attributes[A.FLUXLOOP_OBSERVATION_TYPE];
  if (typeof own === 'string' && TYPES.has(own)) return own as ObservationType;
  const oi = attributes[A.OPENINFERENCE_SPAN_KIND];
  if (typeof oi === 'string' && OPENINFERENCE_TYPES[oi]) return OPENINFERENCE_TYPES[oi];
  const op = attributes[A.GEN_AI_OPERATION_NAME];
  if (typeof op === 'string' && GEN_AI_TYPES[op]) return GEN_AI_TYPES[op];
  return 'span';
}

function level(attributes: Attributes | undefined, isError: boolean): ObservationLevel {
  if (isError) return 'error';
  const own = attributes?.[A.FLUXLOOP_LEVEL];
  return typeof own === 'string' && LEVELS.has(own) ? (own as ObservationLevel) : 'info';
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

/** Token usage from GenAI attributes (falls back to the deprecated prompt/completion names). */
export function tokenUsage(attributes: Attributes): TokenUsage | null {
  const input = count(attributes[A.GEN_AI_USAGE_INPUT_TOKENS] ?? attributes['gen_ai.usage.prompt_tokens']);
  const output = count(attributes[A.GEN_AI_USAGE_OUTPUT_TOKENS] ?? attributes['gen_ai.usage.completion_tokens']);
  if (input === undefined && output === undefined) return null;
  const usage: TokenUsage = {
    input_tokens: input ?? 0,
    output_tokens: output ?? 0,
    total_tokens: (input ?? 0) + (output ?? 0),
  };
  const cacheRead = count(attributes[A.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]);
  const cacheCreation = count(attributes[A.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]);
  const reasoning = count(attributes[A.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]);
  if (cacheRead !== undefined) usage.cache_read_input_tokens = cacheRead;
  if (cacheCreation !== undefined) usage.cache_creation_input_tokens = cacheCreation;
  if (reasoning !== undefined) usage.reasoning_tokens = reasoning;
  return usage;
}

/** Attributes that become top-level record fields (or trace fields) and so stay out of `metadata`. */
const CONSUMED = new Set<string>([
  A.FLUXLOOP_OBSERVATION_TYPE,
  A.FLUXLOOP_INPUT,
  A.FLUXLOOP_OUTPUT,
  A.FLUXLOOP_INPUT_MIME_TYPE,
  A.FLUXLOOP_OUTPUT_MIME_TYPE,
  A.FLUXLOOP_LEVEL,
  A.FLUXLOOP_TRACE_NAME,
  A.FLUXLOOP_TRACE_TAGS,
  A.FLUXLOOP_TRACE_METADATA,
  A.FLUXLOOP_TRACE_INPUT,
  A.FLUXLOOP_TRACE_OUTPUT,
  A.OPENINFERENCE_INPUT_VALUE,
  A.OPENINFERENCE_OUTPUT_VALUE,
  'input.mime_type',
  'output.mime_type',
]);

function metadataOf(attributes: Attributes | undefined): JsonObject {
  const out: JsonObject = {};
  if (!attributes) return out;
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined && !CONSUMED.has(key)) out[key] = value as JsonValue;
  }
  return out;
}

/** The message of the first `exception` span event, which is where recordException() puts it. */
export function exceptionMessage(events: SpanEventSnapshot[] | undefined): string | undefined {
  if (!events) return undefined;
  for (const event of events) {
    if (event.name !== A.EXCEPTION_EVENT) continue;
    const message = event.attributes?.[A.EXCEPTION_MESSAGE];
    const type = event.attributes?.[A.EXCEPTION_TYPE];
    if (typeof message === 'string') return typeof type === 'string' && type ? `${type}: ${message}` : message;
  }
  return undefined;
}

/**
 * fluxloop.input / fluxloop.output hold JSON text, or a plain string when their mime type says text/plain. The
 * SDK's wrappers always capture an argument list, so their plain-text input is the list of that one string.
 */
function ownPayload(span: SpanSnapshot, key: string, mimeKey: string, trusted: boolean, isInput: boolean) {
  const value = span.attributes[key];
  if (value === undefined) return undefined;
  if (span.attributes[mimeKey] === A.MIME_TEXT && typeof value === 'string') {
    const argumentList = isInput && span.scopeName === A.SDK_SCOPE_NAME;
    return argumentList ? new JsonText(`[${JSON.stringify(value)}]`) : value;
  }
  return jsonPayload(value, trusted);
}

export function spanInput(span: SpanSnapshot, trusted: boolean): Payload {
  const a = span.attributes;
  return (
    ownPayload(span, A.FLUXLOOP_INPUT, A.FLUXLOOP_INPUT_MIME_TYPE, trusted, true) ??
    textPayload(a[A.OPENINFERENCE_INPUT_VALUE], a['input.mime_type']) ??
    jsonPayload(a['gen_ai.input.messages'], false) ??
    null
  );
}

export function spanOutput(span: SpanSnapshot, trusted: boolean): Payload {
  const a = span.attributes;
  return (
    ownPayload(span, A.FLUXLOOP_OUTPUT, A.FLUXLOOP_OUTPUT_MIME_TYPE, trusted, false) ??
    textPayload(a[A.OPENINFERENCE_OUTPUT_VALUE], a['output.mime_type']) ??
    jsonPayload(a['gen_ai.output.messages'], false) ??
    null
  );
}

/** Payload attributes written by FluxLoop's own serializer (wrappers, LangChain handler) are valid JSON text. */
export function isTrustedSource(span: SpanSnapshot): boolean {
  return span.scopeName === A.SDK_SCOPE_NAME || span.scopeName === A.LANGCHAIN_SCOPE_NAME;
}

/**
 * The observation of a span, followed by one `event` observation per span event (exceptions excepted).
 * `trustPayloads` is false where spans arrive from the network (the collector): a scope name proves nothing
 * there, so every payload attribute is checked before it is spliced into a record line.
 */
export function projectObservations(span: SpanSnapshot, trustPayloads = true): ObservationDraft[] {
  const attributes = span.attributes;
  const isError = span.statusCode === StatusCode.error;
  const type = observationType(attributes);
  const trusted = trustPayloads && isTrustedSource(span);
  const isGeneration = type === 'generation';
  const model = attributes[A.GEN_AI_RESPONSE_MODEL] ?? attributes[A.GEN_AI_REQUEST_MODEL];
  const out: ObservationDraft[] = [
    {
      schema_version: SCHEMA_VERSION,
      id: span.spanId,
      trace_id: span.traceId,
      parent_observation_id: span.parentSpanId || null,
      type,
      name: span.name,
      start_time: isoFromHrTime(span.startTime),
      end_time: isoFromHrTime(span.endTime),
      duration_ms: durationMs(span.startTime, span.endTime),
      level: level(attributes, isError),
      input: spanInput(span, trusted),
      output: spanOutput(span, trusted),
      status_message: span.statusMessage || (isError ? (exceptionMessage(span.events) ?? null) : null),
      metadata: metadataOf(attributes),
      model: isGeneration && typeof model === 'string' ? model : null,
      token_usage: isGeneration ? tokenUsage(attributes) : null,
    },
  ];
  const events = span.events;
  if (events) {
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      if (event.name === A.EXCEPTION_EVENT) continue;
      const time = isoFromHrTime(event.time);
      out.push({
        schema_version: SCHEMA_VERSION,
        id: deriveEventId(span.spanId, i),
        trace_id: span.traceId,
        parent_observation_id: span.spanId,
        type: 'event',
        name: event.name,
        start_time: time,
        end_time: time,
        duration_ms: 0,
        level: level(event.attributes, false),
        input: jsonPayload(event.attributes?.[A.FLUXLOOP_INPUT], trusted) ?? null,
        output: jsonPayload(event.attributes?.[A.FLUXLOOP_OUTPUT], trusted) ?? null,
        status_message: null,
        metadata: metadataOf(event.attributes),
        model: null,
        token_usage: null,
      });
    }
  }
  return out;
}
