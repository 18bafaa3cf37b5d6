import type { InputConfig, InputEntry } from '../project/types.js';
import type { InputPlan } from './plan.js';
import { buildEntry, finishGeneration, type GeneratedInputs } from './result.js';
import { Rng } from './seed.js';
import { STRATEGY_TRANSFORMS } from './strategies/index.js';

/** How often a transform is drawn again (from the same seeded stream) when it repeats an earlier variation. */
export const REDRAWS = 8;

export interface GenerationReporter {
  /** `done` of `total` steps (entries in deterministic mode, requests in llm mode) finished. */
  progress?(done: number, total: number): void;
  /** Something the user should know that does not stop generation. */
  warn?(message: string): void;
  /** llm mode: a request failed and is tried again after `delayMs`. */
  retry?(what: string, attempt: number, delayMs: number, reason: string): void;
}

/**
 * Runs a deterministic plan. Each entry's text comes from its own PRNG (seeded with the entry's derived seed); when
 * the result equals the base input or an earlier variation of the same base input, persona and strategy, the
 * transform is drawn again from the same stream, up to REDRAWS times. So the file depends only on the config and
 * the seed, and variations differ wherever the text allows; what still repeats is dropped and counted.
 */
export function generateDeterministic(
  config: InputConfig,
  plan: InputPlan,
  reporter: GenerationReporter = {},
): GeneratedInputs {
  const produced: InputEntry[] = [];
  const siblings = new Map<string, Set<string>>();
  plan.steps.forEach((step, index) => {
    const base = config.base_inputs[step.baseIndex]!;
    if (step.kind === 'base') {
      produced.push(buildEntry(config, { ...step, strategy: null, variation: 0, seed: null }, base.input));
    } else if (step.kind === 'transform') {
      const group = JSON.stringify([step.baseIndex, step.persona, step.strategy]);
      const seen = siblings.get(group) ?? new Set([base.input]);
      siblings.set(group, seen);
      const persona = config.personas.find((p) => p.name === step.persona) ?? null;
      const ctx = { rng: new Rng(step.seed), persona };
      const transform = STRATEGY_TRANSFORMS[step.strategy];
      let text = transform(base.input, ctx);
      for (let redraw = 0; redraw < REDRAWS && seen.has(text); redraw++) text = transform(base.input, ctx);
      seen.add(text);
      produced.push(buildEntry(config, step, text));
    } else {
      throw new Error('generateDeterministic: the plan has chat requests; run it with generateWithLlm');
    }
    reporter.progress?.(index + 1, plan.steps.length);
  });
  return finishGeneration(config, plan, produced);
}
