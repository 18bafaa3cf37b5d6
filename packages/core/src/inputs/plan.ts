import { ConfigError, type ConfigIssue } from '../errors.js';
import { CONFIG_FILES, type InputConfig, type InputGeneration, type Persona, type Strategy } from '../project/types.js';
import { buildPrompt, type ChatPrompt } from './llm/prompt.js';
import { type ResolvedLlm, resolveLlm } from './llm/settings.js';
import { deriveEntrySeed } from './seed.js';
import { applyOverrides, type GenerationOverrides } from './settings.js';
import { MULTILINGUAL_LANGUAGES } from './strategies/index.js';
import { phrasebookFor } from './strategies/phrasebooks/index.js';

interface StepBase {
  baseIndex: number;
  persona: string | null;
}

/** A base input written unchanged (include_base_inputs). */
export interface BaseStep extends StepBase {
  kind: 'base';
}

/** One deterministic entry: a strategy's rules applied with the entry's own seed. */
export interface TransformStep extends StepBase {
  kind: 'transform';
  strategy: Strategy;
  variation: number;
  seed: number;
}

/** One chat request (llm mode) asking for `count` variations, which become variations 0..count-1. */
export interface RequestStep extends StepBase {
  kind: 'request';
  strategy: Strategy;
  count: number;
  /** Sent as the provider's sampling seed where it has one, and recorded on the entries. */
  seed: number;
  prompt: ChatPrompt;
}

export type PlanStep = BaseStep | TransformStep | RequestStep;

/** What `fluxloop generate inputs` will do, decided without side effects (what --dry-run prints). */
export interface InputPlan {
  generation: InputGeneration;
  /** llm mode only: the model settings with their defaults decided. */
  llm?: ResolvedLlm;
  steps: PlanStep[];
  /** Chat requests to make (0 in deterministic mode). */
  requests: number;
  /** Entries the steps produce (before duplicates are dropped). */
  entries: number;
  limit?: number;
  /** Entries the limit left out. */
  cutByLimit: number;
}

function planIssue(path: string, message: string): ConfigIssue {
  return { file: CONFIG_FILES.input, path, message };
}

/** Problems only generation cares about: nothing to vary, a persona language the rules cannot write. */
function checkConfig(config: InputConfig, generation: InputGeneration): void {
  const issues: ConfigIssue[] = [];
  if (config.base_inputs.length === 0) {
    issues.push(planIssue('base_inputs', 'is empty: add the inputs to vary (each with input: "...")'));
  }
  if (generation.mode === 'deterministic' && generation.strategies.includes('multilingual')) {
    config.personas.forEach((persona, i) => {
      if (persona.language && !/^en\b/i.test(persona.language) && !phrasebookFor(persona.language)) {
        issues.push(
          planIssue(
            `personas[${i}].language`,
            `"${persona.language}": deterministic multilingual writes ${MULTILINGUAL_LANGUAGES.join(', ')} ` +
              '(and picks one of them for English or no language); use mode llm for other languages',
          ),
        );
      }
    });
  }
  if (issues.length) throw new ConfigError(issues, 'cannot generate inputs:');
}

/** The personas a base input is varied for; [null] when the project has none. */
function personasFor(config: InputConfig, names: readonly string[] | undefined): (Persona | null)[] {
  const personas = config.personas.filter((p) => !names || names.includes(p.name));
  return personas.length ? personas : [null];
}

/**
 * Plans generation: personas x base inputs x strategies x variations (plus each base input unchanged with
 * include_base_inputs), in that nesting order. Pure: reads nothing, calls nothing. With `limit`, steps are taken in
 * order until the limit is reached (a request asks only for the variations still needed).
 */
export function planInputs(config: InputConfig, overrides: GenerationOverrides = {}): InputPlan {
  const generation = applyOverrides(config.input_generation, overrides);
  checkConfig(config, generation);
  const llm = generation.mode === 'llm' ? resolveLlm(generation.llm) : undefined;
  const limit = overrides.limit;
  const steps: PlanStep[] = [];
  let entries = 0;
  let cutByLimit = 0;
  /** How many of `wanted` entries still fit under the limit; the rest are counted as cut. */
  const take = (wanted: number) => {
    const fits = limit === undefined ? wanted : Math.max(0, Math.min(wanted, limit - entries));
    cutByLimit += wanted - fits;
    entries += fits;
    return fits;
  };
  const n = generation.variations_per_input;
  config.base_inputs.forEach((base, baseIndex) => {
    for (const persona of personasFor(config, base.personas)) {
      const name = persona?.name ?? null;
      if (generation.include_base_inputs && take(1)) steps.push({ kind: 'base', baseIndex, persona: name });
      for (const strategy of generation.strategies) {
        if (llm) {
          const count = take(n);
          if (count === 0) continue;
          const prompt = buildPrompt({ base, persona, strategy, count, instructions: llm.instructions });
          const seed = deriveEntrySeed(generation.seed, baseIndex, name, strategy, 0);
          steps.push({ kind: 'request', baseIndex, persona: name, strategy, count, seed, prompt });
          continue;
        }
        for (let variation = 0; variation < n; variation++) {
          if (!take(1)) continue;
          const seed = deriveEntrySeed(generation.seed, baseIndex, name, strategy, variation);
          steps.push({ kind: 'transform', baseIndex, persona: name, strategy, variation, seed });
        }
      }
    }
  });
  return {
    generation,
    ...(llm ? { llm } : {}),
    steps,
    requests: steps.filter((s) => s.kind === 'request').length,
    entries,
    ...(limit !== undefined ? { limit } : {}),
    cutByLimit,
  };
}
