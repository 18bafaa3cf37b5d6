import { UserError } from '../errors.js';
import { type InputGeneration, STRATEGIES, type Strategy } from '../project/types.js';

/** Values that beat input_generation for one run (the CLI's flags). */
export interface GenerationOverrides {
  mode?: string;
  strategies?: readonly string[];
  /** variations_per_input */
  variations?: number;
  seed?: number;
  /** At most this many entries (and, in llm mode, only the requests they need). */
  limit?: number;
}

export const MODES = ['deterministic', 'llm'] as const;
export const MAX_SEED = 4294967295;
export const MAX_VARIATIONS = 1000;

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Checks a strategy list the way the schema does, naming the allowed values. */
export function checkStrategies(names: readonly string[], source = 'strategies'): Strategy[] {
  const where = source ? `${source}: ` : '';
  if (names.length === 0) throw new UserError(`${where}name at least one of ${STRATEGIES.join(', ')}`);
  const seen = new Set<string>();
  for (const name of names) {
    if (!(STRATEGIES as readonly string[]).includes(name)) {
      throw new UserError(`${where}"${name}" is not a strategy; allowed: ${STRATEGIES.join(', ')}`);
    }
    if (seen.has(name)) throw new UserError(`${where}"${name}" is named twice`);
    seen.add(name);
  }
  return names as Strategy[];
}

/** input_generation with the overrides applied and checked (a library caller gets the same checks as the CLI). */
export function applyOverrides(generation: InputGeneration, overrides: GenerationOverrides = {}): InputGeneration {
  const out: InputGeneration = { ...generation, strategies: [...generation.strategies] };
  if (overrides.mode !== undefined) {
    if (!(MODES as readonly string[]).includes(overrides.mode)) {
      throw new UserError(`mode must be one of ${MODES.join(', ')}, got "${overrides.mode}"`);
    }
    out.mode = overrides.mode as InputGeneration['mode'];
  }
  if (overrides.strategies !== undefined) out.strategies = checkStrategies(overrides.strategies);
  if (overrides.variations !== undefined) {
    out.variations_per_input = integerIn('variations', overrides.variations, 1, MAX_VARIATIONS);
  }
  if (overrides.seed !== undefined) out.seed = integerIn('seed', overrides.seed, 0, MAX_SEED);
  if (overrides.limit !== undefined) integerIn('limit', overrides.limit, 1, Number.MAX_SAFE_INTEGER);
  return out;
}
