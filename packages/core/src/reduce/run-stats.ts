import type { ExperimentResults, TokenUsage } from '@fluxloop/contract';
import { DurationQuantiles, EXACT_QUANTILE_CAP } from './quantiles.js';

export interface FinishedRun {
  success: boolean;
  durationMs: number;
  tokenUsage: TokenUsage;
}

const OPTIONAL_TOKENS = ['cache_read_input_tokens', 'cache_creation_input_tokens', 'reasoning_tokens'] as const;

export function emptyTokenUsage(): TokenUsage {
  return { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
}

/** Adds `usage` into `total`; the optional counts appear in the total only once some run reported them. */
export function addTokenUsage(total: TokenUsage, usage: TokenUsage): void {
  total.input_tokens += usage.input_tokens;
  total.output_tokens += usage.output_tokens;
  total.total_tokens += usage.total_tokens;
  for (const key of OPTIONAL_TOKENS) {
    const value = usage[key];
    if (value !== undefined) total[key] = (total[key] ?? 0) + value;
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * The running aggregates behind summary.json's `results`: O(1) per finished run (counts, sums, the maximum, and
 * durations for the quantiles up to a cap, P² estimates beyond it), so an experiment of any size fits in memory.
 */
export class RunStats {
  private total = 0;
  private successful = 0;
  private sumMs = 0;
  private maxMs = 0;
  private readonly tokens = emptyTokenUsage();
  private readonly durations: DurationQuantiles;

  constructor(quantileCap: number = EXACT_QUANTILE_CAP) {
    this.durations = new DurationQuantiles(quantileCap);
  }

  add(run: FinishedRun): void {
    this.total++;
    if (run.success) this.successful++;
    this.sumMs += run.durationMs;
    if (run.durationMs > this.maxMs) this.maxMs = run.durationMs;
    this.durations.add(run.durationMs);
    addTokenUsage(this.tokens, run.tokenUsage);
  }

  get runs(): number {
    return this.total;
  }

  get failures(): number {
    return this.total - this.successful;
  }

  results(): ExperimentResults {
    const { p50, p95 } = this.durations.quantiles();
    return {
      total_runs: this.total,
      successful: this.successful,
      failed: this.total - this.successful,
      success_rate: this.total === 0 ? 0 : this.successful / this.total,
      duration: {
        avg_ms: this.total === 0 ? 0 : round(this.sumMs / this.total),
        p50_ms: round(p50),
        p95_ms: round(p95),
        max_ms: round(this.maxMs),
      },
      token_usage: { ...this.tokens },
    };
  }
}
