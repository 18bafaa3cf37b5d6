import type { Rng } from '../seed.js';
import { joinTokens, type StrategyContext, type Token, tokenize } from './text.js';

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Keys next to each letter on a QWERTY keyboard (same row, and the staggered rows above and below). */
const ADJACENT: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  ROWS.forEach((row, r) => {
    for (let i = 0; i < row.length; i++) {
      const near = [
        row[i - 1],
        row[i + 1],
        ROWS[r - 1]?.[i],
        ROWS[r - 1]?.[i + 1],
        ROWS[r + 1]?.[i - 1],
        ROWS[r + 1]?.[i],
      ];
      map.set(row[i]!, near.filter((c): c is string => c !== undefined).join(''));
    }
  });
  return map;
})();

type Typo = (chars: string[], rng: Rng) => string[] | undefined;

/** Hitting the key next to the intended one. */
const substitute: Typo = (chars, rng) => {
  const positions = chars.flatMap((c, i) => (ADJACENT.has(c.toLowerCase()) ? [i] : []));
  if (positions.length === 0) return undefined;
  const i = rng.pick(positions);
  const original = chars[i]!;
  const wrong = rng.pick([...ADJACENT.get(original.toLowerCase())!]);
  const out = [...chars];
  out[i] = original === original.toLowerCase() ? wrong : wrong.toUpperCase();
  return out;
};

/** Two neighbouring letters swapped (only where they differ, or nothing would change). */
const transpose: Typo = (chars, rng) => {
  const positions = chars.slice(0, -1).flatMap((c, i) => (c.toLowerCase() !== chars[i + 1]!.toLowerCase() ? [i] : []));
  if (positions.length === 0) return undefined;
  const i = rng.pick(positions);
  const out = [...chars];
  [out[i], out[i + 1]] = [out[i + 1]!, out[i]!];
  return out;
};

/** A letter left out; never the first, which people rarely miss. */
const omit: Typo = (chars, rng) => {
  if (chars.length < 3) return undefined;
  const i = rng.int(1, chars.length - 1);
  return [...chars.slice(0, i), ...chars.slice(i + 1)];
};

/** A key pressed twice. */
const double: Typo = (chars, rng) => {
  const i = rng.int(0, chars.length - 1);
  return [...chars.slice(0, i + 1), chars[i]!, ...chars.slice(i + 1)];
};

const TYPOS: readonly (readonly [Typo, number])[] = [
  [substitute, 4],
  [transpose, 3],
  [omit, 2],
  [double, 2],
];

function misspell(word: string, rng: Rng): string {
  const chars = Array.from(word);
  for (let attempt = 0; attempt < 6; attempt++) {
    const result = rng.weighted(TYPOS)(chars, rng)?.join('');
    if (result !== undefined && result !== word) return result;
  }
  return word;
}

/**
 * Keyboard typos in a seeded share (12-32%) of the words, at least one and, with two or more words, never all of
 * them. Words of letters only (no digits, marks or apostrophes) are eligible, 3+ letters preferred, so numbers, ids
 * and accented combining sequences survive intact.
 */
export function typo(text: string, ctx: StrategyContext): string {
  const tokens: Token[] = tokenize(text);
  const letters = (t: Token) => t.kind === 'word' && /^\p{L}+$/u.test(t.text);
  let eligible = tokens.flatMap((t, i) => (letters(t) && Array.from(t.text).length >= 3 ? [i] : []));
  if (eligible.length === 0) eligible = tokens.flatMap((t, i) => (letters(t) && t.text.length >= 2 ? [i] : []));
  if (eligible.length === 0) return text;
  const words = tokens.filter((t) => t.kind === 'word').length;
  const rate = 0.12 + ctx.rng.next() * 0.2;
  const cap = words > 1 ? Math.max(1, Math.min(eligible.length, words - 1)) : 1;
  const count = Math.min(cap, Math.max(1, Math.round(eligible.length * rate)));
  for (const i of ctx.rng.sample(eligible, count)) {
    tokens[i] = { ...tokens[i]!, text: misspell(tokens[i]!.text, ctx.rng) };
  }
  return joinTokens(tokens);
}
