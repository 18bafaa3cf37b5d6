import { describe, expect, it } from 'vitest';
import { RunStats } from '../../src/reduce/run-stats.js';

const usage = (input: number, output: number, extra: Record<string, number> = {}) => ({
  input_tokens: input,
  output_tokens: output,
  total_tokens: input + output,
  ...extra,
});

describe('RunStats: summary.json results', () => {
  it('counts, success rate, duration statistics and token totals', () => {
    const stats = new RunStats();
    stats.add({ success: true, durationMs: 100, tokenUsage: usage(10, 5) });
    stats.add({ success: true, durationMs: 300, tokenUsage: usage(20, 5, { cache_read_input_tokens: 8 }) });
    stats.add({ success: false, durationMs: 200.1234, tokenUsage: usage(0, 0) });
    stats.add({ success: true, durationMs: 400, tokenUsage: usage(1, 2, { reasoning_tokens: 3 }) });
    expect(stats.results()).toEqual({
      total_runs: 4,
      successful: 3,
      failed: 1,
      success_rate: 0.75,
      duration: { avg_ms: 250.031, p50_ms: 250.062, p95_ms: 385, max_ms: 400 },
      token_usage: {
        input_tokens: 31,
        output_tokens: 12,
        total_tokens: 43,
        cache_read_input_tokens: 8,
        reasoning_tokens: 3,
      },
    });
  });

  it('no runs: zeros everywhere', () => {
    expect(new RunStats().results()).toEqual({
      total_runs: 0,
      successful: 0,
      failed: 0,
      success_rate: 0,
      duration: { avg_ms: 0, p50_ms: 0, p95_ms: 0, max_ms: 0 },
      token_usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    });
  });

  it('beyond the exact cap the quantiles are estimates and the other figures stay exact', () => {
    const stats = new RunStats(100);
    for (let i = 1; i <= 10_000; i++) stats.add({ success: i % 10 !== 0, durationMs: i, tokenUsage: usage(1, 1) });
    const results = stats.results();
    expect(results).toMatchObject({
      total_runs: 10_000,
      successful: 9_000,
      failed: 1_000,
      success_rate: 0.9,
      token_usage: { input_tokens: 10_000, output_tokens: 10_000, total_tokens: 20_000 },
    });
    expect(results.duration.avg_ms).toBe(5000.5);
    expect(results.duration.max_ms).toBe(10_000);
    expect(Math.abs(results.duration.p50_ms - 5000.5)).toBeLessThan(150);
    expect(Math.abs(results.duration.p95_ms - 9500.05)).toBeLessThan(150);
  });
});
