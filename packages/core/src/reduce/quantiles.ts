/**
 * Streaming quantile estimate with the P² algorithm (Jain & Chlamtac, 1985): five markers whose heights follow
 * the wanted quantile, adjusted by a piecewise-parabolic formula as values arrive. O(1) memory and time per value;
 * on smooth distributions it lands within a few percent of the exact quantile.
 */
export class P2Quantile {
  private readonly heights: number[] = [];
  private readonly positions = [1, 2, 3, 4, 5];
  private readonly desired: number[];
  private readonly increments: number[];
  private count = 0;

  constructor(readonly p: number) {
    this.desired = [1, 1 + 2 * p, 1 + 4 * p, 3 + 2 * p, 5];
    this.increments = [0, p / 2, p, (1 + p) / 2, 1];
  }

  add(x: number): void {
    const h = this.heights;
    this.count++;
    if (this.count <= 5) {
      h.push(x);
      if (this.count === 5) h.sort((a, b) => a - b);
      return;
    }
    let k: number;
    if (x < h[0]!) {
      h[0] = x;
      k = 0;
    } else if (x >= h[4]!) {
      h[4] = x;
      k = 3;
    } else {
      k = 0;
      while (x >= h[k + 1]!) k++;
    }
    for (let i = k + 1; i < 5; i++) this.positions[i]!++;
    for (let i = 0; i < 5; i++) this.desired[i]! += this.increments[i]!;
    for (let i = 1; i <= 3; i++) this.adjust(i);
  }

  value(): number {
    const h = this.heights;
    if (this.count === 0) return 0;
    if (this.count < 5)
      return exactQuantile(
        [...h].sort((a, b) => a - b),
        this.p,
      );
    return h[2]!;
  }

  private adjust(i: number): void {
    const n = this.positions;
    const h = this.heights;
    const d = this.desired[i]! - n[i]!;
    if ((d >= 1 && n[i + 1]! - n[i]! > 1) || (d <= -1 && n[i - 1]! - n[i]! < -1)) {
      const s = Math.sign(d);
      const parabolic =
        h[i]! +
        (s / (n[i + 1]! - n[i - 1]!)) *
          ((n[i]! - n[i - 1]! + s) * ((h[i + 1]! - h[i]!) / (n[i + 1]! - n[i]!)) +
            (n[i + 1]! - n[i]! - s) * ((h[i]! - h[i - 1]!) / (n[i]! - n[i - 1]!)));
      h[i] =
        h[i - 1]! < parabolic && parabolic < h[i + 1]!
          ? parabolic
          : h[i]! + (s * (h[i + s]! - h[i]!)) / (n[i + s]! - n[i]!);
      n[i]! += s;
    }
  }
}

/** Quantile of sorted values, interpolating linearly between the closest ranks (numpy's default). */
export function exactQuantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Keeping every duration up to this many runs costs 8 bytes each (800 KB); beyond it the P² estimates are used. */
export const EXACT_QUANTILE_CAP = 100_000;

/**
 * p50 and p95 of run durations: exact while at most `cap` values have been seen (they are kept in a typed
 * array), P² estimates beyond that (the array is dropped then), so memory stays bounded however many runs.
 */
export class DurationQuantiles {
  private exact: Float64Array | undefined = new Float64Array(1024);
  private count = 0;
  private readonly p50 = new P2Quantile(0.5);
  private readonly p95 = new P2Quantile(0.95);

  constructor(private readonly cap: number = EXACT_QUANTILE_CAP) {}

  add(ms: number): void {
    this.p50.add(ms);
    this.p95.add(ms);
    this.count++;
    if (!this.exact) return;
    if (this.count > this.cap) {
      this.exact = undefined;
      return;
    }
    if (this.count > this.exact.length) {
      const grown = new Float64Array(Math.min(this.cap, this.exact.length * 2));
      grown.set(this.exact);
      this.exact = grown;
    }
    this.exact[this.count - 1] = ms;
  }

  /** Whether quantile() is exact (true) or a P² estimate. */
  get isExact(): boolean {
    return this.exact !== undefined;
  }

  quantiles(): { p50: number; p95: number } {
    if (!this.exact) return { p50: this.p50.value(), p95: this.p95.value() };
    const sorted = this.exact.slice(0, this.count).sort();
    return { p50: exactQuantile(sorted, 0.5), p95: exactQuantile(sorted, 0.95) };
  }
}
