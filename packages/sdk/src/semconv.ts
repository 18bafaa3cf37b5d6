/**
 * Attribute names FluxLoop writes and reads. GenAI names follow the OpenTelemetry GenAI semantic conventions
 * (copied here rather than imported from the unstable `incubating` entry point, as OTel recommends);
 * `fluxloop.*` names cover what those conventions do not. docs/attributes.md documents each one.
 */

// OpenTelemetry GenAI semantic conventions.
export const GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
export const GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
export const GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';
export const GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
export const GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const GEN_AI_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';

/** Values of gen_ai.operation.name that FluxLoop sets or recognises. */
export const GenAiOperation = {
  chat: 'chat',
  textCompletion: 'text_completion',
  generateContent: 'generate_content',
  embeddings: 'embeddings',
  executeTool: 'execute_tool',
  invokeAgent: 'invoke_agent',
  createAgent: 'create_agent',
} as const;

// General OpenTelemetry conventions.
export const SESSION_ID = 'session.id';
export const USER_ID = 'user.id';
export const SERVICE_NAME = 'service.name';
export const EXCEPTION_EVENT = 'exception';
export const EXCEPTION_MESSAGE = 'exception.message';
export const EXCEPTION_TYPE = 'exception.type';

// OpenInference, read (never written) so spans from its instrumentations land with the right type and payloads.
export const OPENINFERENCE_SPAN_KIND = 'openinference.span.kind';
export const OPENINFERENCE_INPUT_VALUE = 'input.value';
export const OPENINFERENCE_OUTPUT_VALUE = 'output.value';

// FluxLoop's own.
export const FLUXLOOP_OBSERVATION_TYPE = 'fluxloop.observation.type';
/** Captured input as JSON text (already redacted and truncated per the capture mode). */
export const FLUXLOOP_INPUT = 'fluxloop.input';
/** Captured output as JSON text. */
export const FLUXLOOP_OUTPUT = 'fluxloop.output';
/**
 * `text/plain` when fluxloop.input / fluxloop.output hold a plain string instead of JSON text (OpenInference's
 * convention). An SDK wrapper's input is always an argument list, so a plain-text input means "the only argument
 * was this string": records restore the one-element list.
 */
export const FLUXLOOP_INPUT_MIME_TYPE = 'fluxloop.input.mime_type';
export const FLUXLOOP_OUTPUT_MIME_TYPE = 'fluxloop.output.mime_type';
export const MIME_TEXT = 'text/plain';
export const FLUXLOOP_LEVEL = 'fluxloop.level';
/** Trace-level fields, set on the local root span (or, failing that, on any span of the trace). */
export const FLUXLOOP_TRACE_NAME = 'fluxloop.trace.name';
export const FLUXLOOP_TRACE_TAGS = 'fluxloop.trace.tags';
export const FLUXLOOP_TRACE_METADATA = 'fluxloop.trace.metadata';
export const FLUXLOOP_TRACE_INPUT = 'fluxloop.trace.input';
export const FLUXLOOP_TRACE_OUTPUT = 'fluxloop.trace.output';
export const FLUXLOOP_EXPERIMENT_ID = 'fluxloop.experiment.id';
export const FLUXLOOP_EXPERIMENT_ITERATION = 'fluxloop.experiment.iteration';
export const FLUXLOOP_EXPERIMENT_PERSONA = 'fluxloop.experiment.persona';

/** Instrumentation scope name of spans the SDK's wrappers create. */
export const SDK_SCOPE_NAME = '@fluxloop/sdk';
/** Instrumentation scope name of spans the LangChain / LangGraph handler creates. */
export const LANGCHAIN_SCOPE_NAME = '@fluxloop/langchain';
