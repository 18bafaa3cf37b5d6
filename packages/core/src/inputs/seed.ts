import { createHash } from 'node:crypto';

/**
 * The seed of one generated entry: the first 32 bits (big-endian) of SHA-256 over a canonical JSON array of
 * everything that identifies the entry. Each entry's seed depends only on its own coordinates, so adding a persona,
 * a strategy or more variations never changes the entries that were already there. The version tag lets the
 * derivation change later without silently reusing old seeds for different text.
 */
export function deriveEntrySeed(
  seed: number,
  baseIndex: number,
  persona: string | null,
  strategy: string,
  variation: number,
): number {
  const canonical = JSON.stringify(['fluxloop/inputs/v1', seed, baseIndex, persona, strategy, variation]);
  return createHash('sha256').update(canonical).digest().readUInt32BE(0);
}

/**
 * A small seeded PRNG (mulberry32): fast, 32-bit state, good enough spread for choosing text rules. Not for
 * anything security related. Each entry gets its own instance, so there is no shared state between entries.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: no items to pick from');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of items) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return items[items.length - 1]![0];
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** `count` distinct items in random order (all of them when there are fewer). */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, count));
  }
}
