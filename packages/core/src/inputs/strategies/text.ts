import type { Persona } from '../../project/types.js';
import type { Rng } from '../seed.js';

/** What a strategy's rules see: the entry's own PRNG and the persona the entry is for (null without personas). */
export interface StrategyContext {
  rng: Rng;
  persona: Persona | null;
}

/** One text rule of a strategy; returns the text unchanged when it does not apply. */
export type Rule = (text: string, ctx: StrategyContext) => string;

export interface Token {
  text: string;
  kind: 'word' | 'space' | 'other';
}

// Words keep inner apostrophes (don't, l'hôtel) so contractions stay one token. Identifiers (letters and digits
// joined by - or _, with a digit somewhere: A-1001, SKU_42, gpt-4o) are one word too, so no rule takes them apart.
const TOKEN =
  /(?=[\p{L}\p{M}\p{N}_-]*\p{N})[\p{L}\p{M}\p{N}]+(?:[-_][\p{L}\p{M}\p{N}]+)+|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*|\s+|[^\p{L}\p{M}\p{N}\s]+/gu;

export function tokenize(text: string): Token[] {
  return Array.from(text.matchAll(TOKEN), ([t]) => ({
    text: t,
    kind: /^\s/u.test(t) ? 'space' : /^[\p{L}\p{M}\p{N}]/u.test(t) ? 'word' : 'other',
  }));
}

export const joinTokens = (tokens: readonly Token[]): string => tokens.map((t) => t.text).join('');

export const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Lower-cases the first letter unless the first word is "I" or an acronym (API, URL). */
export function lowerFirst(s: string): string {
  const first = /^[\p{L}\p{N}']+/u.exec(s)?.[0] ?? '';
  if (first === 'I' || first.startsWith("I'") || (first.length > 1 && first === first.toUpperCase())) return s;
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** The replacement written the way the original was: ALL CAPS, Capitalised, or as given. */
export function matchCase(original: string, replacement: string): string {
  const letters = original.replace(/[^\p{L}]/gu, '');
  if (letters.length > 1 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) {
    return replacement.toUpperCase();
  }
  if (/^\p{Lu}/u.test(original)) return upperFirst(replacement);
  return replacement;
}

/** Splits trailing sentence punctuation (and closing quotes/spaces) off: ["Reset it", "?"]. */
export function splitEnd(text: string): [body: string, end: string] {
  const m = /[\s.!?。！？…"'”’)]*$/u.exec(text);
  const end = m?.[0] ?? '';
  return [text.slice(0, text.length - end.length), end.trim()];
}

export const isQuestion = (text: string): boolean => /[?？]["'”’)]*\s*$/u.test(text);

const INTERROGATIVE =
  /^(?:can|could|would|will|shall|should|do|does|did|is|are|was|am|have|has|how|what|where|when|why|who|whom|which)\b/i;

/** A question by its punctuation or, since people often leave the "?" out, by its first word. */
export const looksLikeQuestion = (text: string): boolean => isQuestion(text) || INTERROGATIVE.test(text.trim());

/** Sentences with their punctuation; text without sentence breaks is one sentence. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?。！？])\s+(?=\S)/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The text as a sentence: first letter upper-cased and a final period when it has no final punctuation. */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  return upperFirst(/[.!?。！？…:;"”')]$/u.test(trimmed) ? trimmed : `${trimmed}.`);
}

/** Collapses the doubled spaces and " ," that removing words leaves behind. */
export function tidy(text: string): string {
  return text
    .replace(/[ \t]{2,}/g, ' ')
    .replace(/ +([,.!?;:])/g, '$1')
    .replace(/^[\s,;:]+/u, '')
    .replace(/,([.!?])/g, '$1')
    .trim();
}

export type PhraseTable = Readonly<Record<string, string | readonly string[]>>;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces whole words and phrases from `table` (case-insensitive keys, case of the original kept), each
 * occurrence with `probability`, alternatives chosen by the rng. Longer phrases win over their parts. A word joined
 * to another by - or _ is part of it, never replaced alone: the "A" of order A-1001 is not an article.
 */
export function replacePhrases(text: string, table: PhraseTable, rng: Rng, probability = 1): string {
  const keys = Object.keys(table).sort((a, b) => b.length - a.length || a.localeCompare(b));
  if (keys.length === 0) return text;
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{M}\\p{N}'’])(?<![\\p{L}\\p{M}\\p{N}][-_])(?:${keys.map(escapeRegExp).join('|')})` +
      `(?![\\p{L}\\p{M}\\p{N}]|['’][\\p{L}]|[-_][\\p{L}\\p{M}\\p{N}])`,
    'giu',
  );
  const lookup = new Map(keys.map((k) => [k.toLowerCase(), table[k]!]));
  return text.replace(pattern, (found) => {
    if (!rng.chance(probability)) return found;
    const options = lookup.get(found.toLowerCase().replace(/’/g, "'"));
    if (options === undefined) return found;
    const chosen = typeof options === 'string' ? options : rng.pick(options);
    return matchCase(found, chosen);
  });
}

/**
 * Like replacePhrases, but guarantees at least one replacement when any key occurs: a low probability should
 * make changes sparse, not make the rule silently do nothing.
 */
export function replaceSomePhrases(text: string, table: PhraseTable, rng: Rng, probability: number): string {
  const once = replacePhrases(text, table, rng, probability);
  return once !== text ? once : replacePhrases(text, table, rng, 1);
}

export interface RuleCount {
  min: number;
  max: number;
  /** Apply the chosen rules in the order given (some rules only make sense before others). */
  ordered?: boolean;
}

/**
 * Draws between min and max rules and applies them. Rules that change nothing do not count, so the next one is
 * tried: a text too short for one rule still changes when another can change it.
 */
export function applyRules(text: string, rules: readonly Rule[], ctx: StrategyContext, count: RuleCount): string {
  const want = ctx.rng.int(count.min, count.max);
  const order = ctx.rng.shuffle(rules.map((rule, index) => ({ rule, index })));
  const chosen: typeof order = [];
  let out = text;
  const apply = (candidates: typeof order) => {
    for (const { rule } of candidates) out = rule(out, ctx);
  };
  if (!count.ordered) {
    for (const candidate of order) {
      if (chosen.length >= want) break;
      const next = candidate.rule(out, ctx);
      if (next !== out) {
        out = next;
        chosen.push(candidate);
      }
    }
    return out;
  }
  // Ordered: choose which rules take part first (those that would change the text alone), then apply in order.
  for (const candidate of order) {
    if (chosen.length >= want) break;
    if (candidate.rule(text, ctx) !== text) chosen.push(candidate);
  }
  chosen.sort((a, b) => a.index - b.index);
  apply(chosen);
  return out;
}
