import type { InputConfig, InputEntry, Strategy } from '../project/types.js';
import type { InputPlan } from './plan.js';

/** The `generator:` block of the file: how it was made, for people and for regenerating it. No timestamps. */
export interface GeneratorInfo {
  command: string;
  mode: 'deterministic' | 'llm';
  strategies: Strategy[];
  seed: number;
  variations_per_input: number;
  include_base_inputs: boolean;
  provider?: string;
  model?: string;
  limit?: number;
}

export interface GenerationStats {
  /** Entries kept per strategy, in the order strategies were configured; unchanged base inputs count as `base`. */
  byStrategy: Record<string, number>;
  /** Identical entries (same persona and text) dropped, keeping the first. */
  duplicatesDropped: number;
  duplicatesByStrategy: Record<string, number>;
  /** Kept entries whose text equals their base input (a strategy whose rules had nothing to change). */
  unchanged: number;
  requests: number;
  /** Entries --limit left out. */
  cutByLimit: number;
}

export interface GeneratedInputs {
  generator: GeneratorInfo;
  entries: InputEntry[];
  stats: GenerationStats;
}

export interface EntryOrigin {
  baseIndex: number;
  persona: string | null;
  strategy: Strategy | null;
  variation: number;
  seed: number | null;
}

export const GENERATE_COMMAND = 'fluxloop generate inputs';

/** An entry with the fixed key order of the file; expected and metadata come from the base input and persona. */
export function buildEntry(config: InputConfig, origin: EntryOrigin, input: string): InputEntry {
  const base = config.base_inputs[origin.baseIndex]!;
  const persona = config.personas.find((p) => p.name === origin.persona);
  const metadata = { ...persona?.metadata, ...base.metadata };
  return {
    input,
    strategy: origin.strategy,
    persona: origin.persona,
    base_index: origin.baseIndex,
    variation: origin.variation,
    seed: origin.seed,
    ...(base.expected !== undefined ? { expected: base.expected } : {}),
    ...(Object.keys(metadata).length ? { metadata } : {}),
  };
}

export function generatorInfo(plan: InputPlan): GeneratorInfo {
  const g = plan.generation;
  return {
    command: GENERATE_COMMAND,
    mode: g.mode,
    strategies: [...g.strategies],
    seed: g.seed,
    variations_per_input: g.variations_per_input,
    include_base_inputs: g.include_base_inputs,
    ...(plan.llm ? { provider: plan.llm.provider, model: plan.llm.model } : {}),
    ...(plan.limit !== undefined ? { limit: plan.limit } : {}),
  };
}

const label = (entry: InputEntry) => entry.strategy ?? 'base';

/** Drops identical entries (same persona and text, first one kept) and counts what was written. */
export function finishGeneration(
  config: InputConfig,
  plan: InputPlan,
  produced: readonly InputEntry[],
): GeneratedInputs {
  const seen = new Set<string>();
  const entries: InputEntry[] = [];
  const duplicatesByStrategy: Record<string, number> = {};
  for (const entry of produced) {
    const key = JSON.stringify([entry.persona, entry.input]);
    if (seen.has(key)) {
      duplicatesByStrategy[label(entry)] = (duplicatesByStrategy[label(entry)] ?? 0) + 1;
      continue;
    }
    seen.add(key);
    entries.push(entry);
  }
  const order = ['base', ...plan.generation.strategies];
  const byStrategy: Record<string, number> = {};
  for (const name of order) {
    const count = entries.filter((e) => label(e) === name).length;
    if (count) byStrategy[name] = count;
  }
  const unchanged = entries.filter(
    (e) => e.strategy !== null && e.input === config.base_inputs[e.base_index ?? 0]?.input,
  ).length;
  return {
    generator: generatorInfo(plan),
    entries,
    stats: {
      byStrategy,
      duplicatesDropped: Object.values(duplicatesByStrategy).reduce((a, b) => a + b, 0),
      duplicatesByStrategy,
      unchanged,
      requests: plan.requests,
      cutByLimit: plan.cutByLimit,
    },
  };
}
