import type { InputConfig } from '../project/types.js';
import { type GenerationReporter, generateDeterministic } from './deterministic.js';
import { generateWithLlm, type LlmGenerationOptions } from './llm/generate.js';
import type { InputPlan } from './plan.js';
import type { GeneratedInputs } from './result.js';

export type GenerateOptions = Partial<LlmGenerationOptions> & { reporter?: GenerationReporter };

/** Runs a plan in its mode. Deterministic mode needs no options; llm mode needs `env` to find the key. */
export async function runPlan(
  config: InputConfig,
  plan: InputPlan,
  options: GenerateOptions = {},
): Promise<GeneratedInputs> {
  if (plan.generation.mode === 'deterministic') return generateDeterministic(config, plan, options.reporter);
  return generateWithLlm(config, plan, { ...options, env: options.env ?? {} });
}
