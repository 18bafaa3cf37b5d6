import { UserError } from '../../errors.js';
import type { LlmProvider, LlmSettings } from '../../project/types.js';

/** The schema's documented defaults for model and key variable, per provider. */
export const DEFAULT_MODELS: Readonly<Partial<Record<LlmProvider, string>>> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
};

export const DEFAULT_KEY_ENVS: Readonly<Partial<Record<LlmProvider, string>>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/** input_generation.llm with its defaults decided: what the planner prints and the generator uses. */
export interface ResolvedLlm {
  provider: LlmProvider;
  model: string;
  baseUrl?: string;
  /** The variable holding the key; undefined for an openai_compatible server that needs none. */
  keyEnv?: string;
  temperature: number;
  maxTokens: number;
  concurrency: number;
  maxRetries: number;
  timeoutMs: number;
  instructions?: string;
}

export function resolveLlm(llm: LlmSettings): ResolvedLlm {
  const model = llm.model ?? DEFAULT_MODELS[llm.provider];
  if (!model) {
    // The loader's semantic checks already say this for configs; a library caller may skip them.
    throw new UserError(`input_generation.llm: provider ${llm.provider} needs a model`);
  }
  if (llm.provider === 'openai_compatible' && !llm.base_url) {
    throw new UserError('input_generation.llm: provider openai_compatible needs base_url');
  }
  const keyEnv = llm.api_key_env ?? DEFAULT_KEY_ENVS[llm.provider];
  return {
    provider: llm.provider,
    model,
    ...(llm.base_url ? { baseUrl: llm.base_url } : {}),
    ...(keyEnv ? { keyEnv } : {}),
    temperature: llm.temperature,
    maxTokens: llm.max_tokens,
    concurrency: llm.concurrency,
    maxRetries: llm.max_retries,
    timeoutMs: Math.round(llm.timeout_seconds * 1000),
    ...(llm.instructions ? { instructions: llm.instructions } : {}),
  };
}

/**
 * The API key from the environment (the real one, then the project's .env: the caller passes the merged view).
 * Missing is an error naming the variable, raised before any request is made.
 */
export function resolveApiKey(llm: ResolvedLlm, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (!llm.keyEnv) return undefined;
  const key = env[llm.keyEnv];
  if (key === undefined || key.trim() === '') {
    throw new UserError(
      `llm mode with provider ${llm.provider} needs an API key: set ${llm.keyEnv} in the environment or in the ` +
        `project's .env (input_generation.llm.api_key_env names the variable to read)`,
    );
  }
  return key.trim();
}
