/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * The allowed name a misspelt one was most likely meant to be: a near spelling (`iteration`, `concurency`), or
 * the one allowed name that starts with it (`timeout` for `timeout_seconds`). Undefined when nothing is close.
 */
export function didYouMean(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of allowed) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  if (best !== undefined || name.length < 4) return best;
  const prefixed = allowed.filter((candidate) => candidate.toLowerCase().startsWith(name.toLowerCase()));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
