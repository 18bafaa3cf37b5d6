import { attributes as A, type GenerationInfo, readGenerationInfo } from '@fluxloop/sdk/instrumentation';
import type { Attributes } from '@opentelemetry/api';

/** What LangChain passes as `serialized`: `{ id: ['langchain_core', 'runnables', 'RunnableSequence'], ... }`. */
export interface SerializedLike {
  id?: string[];
  name?: string;
}

type Meta = Record<string, unknown> | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The run's display name: the run name LangChain gives, else the class name from `serialized`. */
export function runName(serialized: SerializedLike | undefined, name: string | undefined, fallback: string): string {
  return name || serialized?.name || serialized?.id?.[serialized.id.length - 1] || fallback;
}

/** A LangGraph graph (compiled StateGraph / Pregel) or a classic AgentExecutor: the run is an agent invocation. */
export function isAgentRun(serialized: SerializedLike | undefined): boolean {
  const id = serialized?.id;
  if (!id) return false;
  return (id[0] === 'langgraph' && id[1] === 'pregel') || id[id.length - 1] === 'AgentExecutor';
}

/** LangChain marks its plumbing runs (LangGraph's __start__, channel writes) as hidden from trace views. */
export function isHidden(tags: string[] | undefined): boolean {
  return tags?.includes('langsmith:hidden') === true;
}

/** LangGraph node metadata, kept on the node's span. */
export function langGraphAttributes(metadata: Meta): Attributes {
  const a: Attributes = {};
  if (!metadata || metadata.langgraph_node === undefined) return a;
  a['langgraph.node'] = String(metadata.langgraph_node);
  const step = num(metadata.langgraph_step);
  if (step !== undefined) a['langgraph.step'] = step;
  const ns = str(metadata.langgraph_checkpoint_ns) ?? str(metadata.checkpoint_ns);
  if (ns) a['langgraph.checkpoint_ns'] = ns;
  const triggers = metadata.langgraph_triggers;
  if (Array.isArray(triggers)) a['langgraph.triggers'] = triggers.filter((t) => typeof t === 'string');
  return a;
}

/** Tags a user attached (LangChain's own `graph:step:N` and `langsmith:*` plumbing tags left out). */
export function userTags(tags: string[] | undefined): string[] {
  if (!tags || tags.length === 0) return [];
  return tags.filter((t) => !t.startsWith('graph:step:') && !t.startsWith('langsmith:') && !t.startsWith('seq:step:'));
}

/** Conversation / thread id: LangGraph copies `configurable.thread_id` into the run's metadata. */
export function conversationId(metadata: Meta): string | undefined {
  if (!metadata) return undefined;
  return str(metadata.thread_id) ?? str(metadata.conversation_id) ?? str(metadata.session_id);
}

/**
 * Request side of a model call: model and parameters from the invocation params LangChain passes (the
 * provider's own names), falling back to the `ls_*` metadata every LangChain chat model sets.
 */
export function modelRequestAttributes(extraParams: Meta, metadata: Meta): Attributes {
  const params = (extraParams?.invocation_params ?? {}) as Record<string, unknown>;
  const info: GenerationInfo = {
    provider: str(metadata?.ls_provider),
    requestModel: str(params.model) ?? str(params.model_name) ?? str(params.modelName) ?? str(metadata?.ls_model_name),
    temperature: num(params.temperature) ?? num(metadata?.ls_temperature),
    topP: num(params.top_p) ?? num(params.topP),
    maxTokens:
      num(params.max_tokens) ??
      num(params.maxTokens) ??
      num(params.max_completion_tokens) ??
      num(metadata?.ls_max_tokens),
  };
  const a: Attributes = {};
  if (info.provider) a[A.GEN_AI_PROVIDER_NAME] = info.provider;
  if (info.requestModel) a[A.GEN_AI_REQUEST_MODEL] = info.requestModel;
  if (info.temperature !== undefined) a[A.GEN_AI_REQUEST_TEMPERATURE] = info.temperature;
  if (info.topP !== undefined) a[A.GEN_AI_REQUEST_TOP_P] = info.topP;
  if (info.maxTokens !== undefined) a[A.GEN_AI_REQUEST_MAX_TOKENS] = info.maxTokens;
  return a;
}

interface LLMResultLike {
  generations?: { text?: string; message?: unknown; generationInfo?: Record<string, unknown> }[][];
  llmOutput?: Record<string, unknown>;
}

/** The first generation's message (chat models) or text (LLMs). */
export function firstGeneration(output: LLMResultLike): { message?: unknown; text?: string } {
  const first = output.generations?.[0]?.[0];
  return { message: first?.message, text: first?.text };
}

/**
 * Response side: response model, finish reasons and token usage (cache and reasoning tokens included) from the
 * message's usage_metadata / response_metadata, or llmOutput.tokenUsage for older integrations.
 */
export function modelResponseInfo(output: LLMResultLike): GenerationInfo {
  const first = output.generations?.[0]?.[0];
  const info: GenerationInfo = { ...(readGenerationInfo(first?.message) ?? {}) };
  const llmOutput = output.llmOutput;
  if (info.inputTokens === undefined && llmOutput) {
    const fromOutput = readGenerationInfo({
      usage: llmOutput.tokenUsage ?? llmOutput.estimatedTokenUsage ?? llmOutput.usage,
    });
    if (fromOutput) Object.assign(info, { ...fromOutput, provider: undefined });
  }
  if (!info.responseModel && llmOutput) info.responseModel = str(llmOutput.model_name) ?? str(llmOutput.model);
  const finish = str(first?.generationInfo?.finish_reason) ?? str(first?.generationInfo?.stop_reason);
  if (!info.finishReasons && finish) info.finishReasons = [finish];
  return info;
}

/** An error LangGraph throws to pause or redirect a run (interrupt(), Command to a parent), not a failure. */
export function isControlFlow(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { is_bubble_up?: unknown; name?: unknown };
  return (
    e.is_bubble_up === true ||
    e.name === 'GraphInterrupt' ||
    e.name === 'NodeInterrupt' ||
    e.name === 'ParentCommand' ||
    e.name === 'GraphBubbleUp'
  );
}
