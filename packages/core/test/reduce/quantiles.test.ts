import { describe, expect, it } from 'vitest';
import { DurationQuantiles, exactQuantile, P2Quantile } from '../../src/reduce/quantiles.js';

/** Deterministic pseudo-random numbers (mulberry32), so the estimator is checked on the same data every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe('exact quantiles', () => {
  it('interpolate linearly between the closest ranks', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([exactQuantile(xs, 0), exactQuantile(xs, 0.5), exactQuantile(xs, 0.95), exactQuantile(xs, 1)]).toEqual([
      1, 50.5, 95.05, 100,
    ]);
    expect([exactQuantile([7], 0.5), exactQuantile([], 0.5)]).toEqual([7, 0]);
  });

  it('DurationQuantiles is exact up to its cap', () => {
    const next = random(1);
    const xs = Array.from({ length: 5000 }, () => next() * 1000);
    const q = new DurationQuantiles(5000);
    for (const x of xs) q.add(x);
    expect(q.isExact).toBe(true);
    expect(q.quantiles()).toEqual({ p50: exactQuantile(sorted(xs), 0.5), p95: exactQuantile(sorted(xs), 0.95) });
  });
});

describe('P² beyond the cap', () => {
  const cases: [string, (next: () => number) => number][] = [
    ['uniform latencies', (next) => 50 + next() * 950],
    ['a long tail (exponential)', (next) => -Math.log(1 - next()) * 200],
  ];
  for (const [what, draw] of cases) {
    it(`${what}: p50 and p95 within 3% of the exact values, memory dropped`, () => {
      const next = random(7);
      const xs = Array.from({ length: 200_000 }, () => draw(next));
      const q = new DurationQuantiles(1000);
      for (const x of xs) q.add(x);
      expect(q.isExact).toBe(false);
      const { p50, p95 } = q.quantiles();
      const exact = { p50: exactQuantile(sorted(xs), 0.5), p95: exactQuantile(sorted(xs), 0.95) };
      expect(Math.abs(p50 - exact.p50) / exact.p50).toBeLessThan(0.03);
      expect(Math.abs(p95 - exact.p95) / exact.p95).toBeLessThan(0.03);
    });
  }

  it('with fewer than five values it is exact', () => {
    const q = new P2Quantile(0.5);
    for (const x of [9, 1, 5]) q.add(x);
    expect(q.value()).toBe(5);
    expect(new P2Quantile(0.95).value()).toBe(0);
  });
});
