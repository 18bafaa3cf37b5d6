// The inputs area of @fluxloop/core: `fluxloop generate inputs` as a library (docs/cli/inputs.md).
export { type GenerationReporter, generateDeterministic, REDRAWS } from './deterministic.js';
export { type GenerateOptions, runPlan } from './generate.js';
export type { ChatModel, Fetch } from './llm/chat-model.js';
export { describeRequest, generateWithLlm, LlmGenerationError, type LlmGenerationOptions } from './llm/generate.js';
export { parseVariations } from './llm/parse.js';
export { buildPrompt, type ChatPrompt } from './llm/prompt.js';
export {
  classifyFailure,
  DEFAULT_RETRY,
  type FailureInfo,
  type RetryPolicy,
  retryAfterMs,
  retryDelay,
} from './llm/retry.js';
export { DEFAULT_KEY_ENVS, DEFAULT_MODELS, type ResolvedLlm, resolveApiKey, resolveLlm } from './llm/settings.js';
export {
  type BaseStep,
  type InputPlan,
  type PlanStep,
  planInputs,
  type RequestStep,
  type TransformStep,
} from './plan.js';
export {
  buildEntry,
  type EntryOrigin,
  finishGeneration,
  GENERATE_COMMAND,
  type GeneratedInputs,
  type GenerationStats,
  type GeneratorInfo,
} from './result.js';
export { deriveEntrySeed, Rng } from './seed.js';
export {
  applyOverrides,
  checkStrategies,
  type GenerationOverrides,
  MAX_SEED,
  MAX_VARIATIONS,
  MODES,
} from './settings.js';
export {
  MULTILINGUAL_LANGUAGES,
  STRATEGY_DESCRIPTIONS,
  STRATEGY_TRANSFORMS,
  type StrategyContext,
  type StrategyTransform,
} from './strategies/index.js';
export { CORE_VERSION } from './version.js';
export { GENERATED_INPUTS_SCHEMA_URL, renderInputsFile, writeInputsFile } from './writer.js';
