import type { Attributes } from '@opentelemetry/api';
import * as A from '../semconv.js';

/** What generation() can learn about a model call from its request or response. */
export interface GenerationInfo {
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheCreationTokens?: number;
  reasoningTokens?: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

function merge(into: GenerationInfo, from: GenerationInfo): GenerationInfo {
  for (const [k, v] of Object.entries(from)) if (v !== undefined) (into as Obj)[k] = v;
  return into;
}

/** Usage blocks of OpenAI (chat and responses), Anthropic, LangChain usage_metadata and plain objects. */
function usage(u: unknown): GenerationInfo {
  if (!isObj(u)) return {};
  const inDetails = (u.prompt_tokens_details ?? u.input_tokens_details ?? u.input_token_details) as Obj | undefined;
  const outDetails = (u.completion_tokens_details ?? u.output_tokens_details ?? u.output_token_details) as
    | Obj
    | undefined;
  const info: GenerationInfo = {
    inputTokens: num(u.input_tokens) ?? num(u.prompt_tokens) ?? num(u.promptTokens) ?? num(u.inputTokens),
    outputTokens: num(u.output_tokens) ?? num(u.completion_tokens) ?? num(u.completionTokens) ?? num(u.outputTokens),
    cacheReadTokens: num(u.cache_read_input_tokens) ?? num(inDetails?.cached_tokens) ?? num(inDetails?.cache_read),
    cacheCreationTokens: num(u.cache_creation_input_tokens) ?? num(inDetails?.cache_creation),
    reasoningTokens: num(outDetails?.reasoning_tokens) ?? num(outDetails?.reasoning),
  };
  return info;
}

/**
 * Reads a model response (or a stream chunk / event of one). Recognises OpenAI chat completions, chunks and
 * Responses objects, Anthropic messages and stream events, LangChain AIMessage(Chunk)s and ChatResults, and
 * plain `{ model, usage }` objects. Returns undefined when nothing is recognised.
 */
export function readGenerationInfo(value: unknown): GenerationInfo | undefined {
  if (!isObj(value)) return undefined;
  const info: GenerationInfo = {};
  // Anthropic stream events carry the message or the delta one level down.
  if (value.type === 'message_start' && isObj(value.message)) return readGenerationInfo(value.message);
  if (value.type === 'message_delta') {
    merge(info, usage(value.usage));
    const stop = isObj(value.delta) ? str(value.delta.stop_reason) : undefined;
    if (stop) info.finishReasons = [stop];
    info.provider = 'anthropic';
    return info;
  }
  // LangChain messages: usage_metadata + response_metadata.
  if (isObj(value.usage_metadata) || isObj(value.response_metadata)) {
    merge(info, usage(value.usage_metadata));
    const meta = isObj(value.response_metadata) ? value.response_metadata : {};
    info.responseModel = str(meta.model_name) ?? str(meta.model);
    const finish = str(meta.finish_reason) ?? str(meta.stop_reason);
    if (finish) info.finishReasons = [finish];
    return info;
  }
  // LangChain ChatResult / LLMResult.
  if (Array.isArray(value.generations)) {
    const first = (value.generations as unknown[]).flat()[0];
    if (isObj(first) && isObj(first.message)) merge(info, readGenerationInfo(first.message) ?? {});
    if (isObj(value.llmOutput)) merge(info, usage(value.llmOutput.tokenUsage ?? value.llmOutput.usage));
    return info;
  }
  merge(info, usage(value.usage ?? value));
  info.responseModel = str(value.model);
  info.responseId = str(value.id);
  if (Array.isArray(value.choices)) {
    const reasons = (value.choices as unknown[])
      .map((c) => (isObj(c) ? str(c.finish_reason) : undefined))
      .filter((r): r is string => !!r);
    if (reasons.length > 0) info.finishReasons = reasons;
    info.provider = 'openai';
  } else if (value.type === 'message' && isObj(value.usage)) {
    const stop = str(value.stop_reason);
    if (stop) info.finishReasons = [stop];
    info.provider = 'anthropic';
  } else if (value.object === 'response') {
    info.provider = 'openai';
  }
  return Object.values(info).some((v) => v !== undefined) ? info : undefined;
}

/** Request parameters of an OpenAI/Anthropic-style request object (the usual first argument of a model call). */
export function readGenerationRequest(args: readonly unknown[]): GenerationInfo | undefined {
  const request = args[0];
  if (!isObj(request) || typeof request.model !== 'string') return undefined;
  return {
    requestModel: request.model,
    temperature: num(request.temperature),
    topP: num(request.top_p),
    maxTokens: num(request.max_tokens) ?? num(request.max_completion_tokens) ?? num(request.max_output_tokens),
  };
}

export function generationAttributes(info: GenerationInfo): Attributes {
  const a: Attributes = {};
  const set = (key: string, value: string | number | string[] | undefined) => {
    if (value !== undefined) a[key] = value;
  };
  set(A.GEN_AI_PROVIDER_NAME, info.provider);
  set(A.GEN_AI_REQUEST_MODEL, info.requestModel);
  set(A.GEN_AI_REQUEST_TEMPERATURE, info.temperature);
  set(A.GEN_AI_REQUEST_TOP_P, info.topP);
  set(A.GEN_AI_REQUEST_MAX_TOKENS, info.maxTokens);
  set(A.GEN_AI_RESPONSE_MODEL, info.responseModel);
  set(A.GEN_AI_RESPONSE_ID, info.responseId);
  set(A.GEN_AI_RESPONSE_FINISH_REASONS, info.finishReasons);
  set(A.GEN_AI_USAGE_INPUT_TOKENS, info.inputTokens);
  set(A.GEN_AI_USAGE_OUTPUT_TOKENS, info.outputTokens);
  set(A.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, info.cacheReadTokens);
  set(A.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, info.cacheCreationTokens);
  set(A.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, info.reasoningTokens);
  return a;
}
