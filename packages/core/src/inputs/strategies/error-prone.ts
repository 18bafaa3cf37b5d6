import {
  applyRules,
  joinTokens,
  type PhraseTable,
  type Rule,
  replaceSomePhrases,
  type StrategyContext,
  tidy,
  tokenize,
} from './text.js';

/** Words people confuse, and the misspellings they actually make. */
const CONFUSIONS: PhraseTable = {
  their: ['there', "they're"],
  there: ['their'],
  "they're": ['their', 'there'],
  your: ["you're"],
  "you're": ['your'],
  its: ["it's"],
  "it's": ['its'],
  to: ['too'],
  too: ['to'],
  // biome-ignore lint/suspicious/noThenProperty: a table of words, never awaited
  then: ['than'],
  than: ['then'],
  affect: ['effect'],
  effect: ['affect'],
  lose: ['loose'],
  whose: ["who's"],
  accept: ['except'],
  were: ['where'],
  where: ['were'],
  know: ['no'],
  here: ['hear'],
  buy: ['by'],
  weather: ['whether'],
  whether: ['weather'],
  'could have': ['could of'],
  'should have': ['should of'],
  'would have': ['would of'],
  'a lot': ['alot'],
  definitely: ['definately'],
  separate: ['seperate'],
  receive: ['recieve'],
  received: ['recieved'],
  until: ['untill'],
  tomorrow: ['tommorow'],
  address: ['adress'],
  necessary: ['neccessary'],
  account: ['acount'],
  password: ['pasword'],
  immediately: ['immediatly'],
  which: ['wich'],
};

/** "Reset the password for an account" -> "Reset password for account". */
const dropArticles: Rule = (text, { rng }) => {
  const table: PhraseTable = { the: '', a: '', an: '' };
  return tidy(replaceSomePhrases(text, table, rng, 0.6));
};

const confuse: Rule = (text, { rng }) => replaceSomePhrases(text, CONFUSIONS, rng, 0.7);

/** Apostrophes and commas left out, no final punctuation: "dont", "Im". */
const dropPunctuation: Rule = (text, { rng }) => {
  let out = text.replace(/(\p{L})['’](\p{L})/gu, (m, a: string, b: string) => (rng.chance(0.8) ? a + b : m));
  out = out.replace(/,(?=\s)/g, () => (rng.chance(0.7) ? '' : ','));
  return out.replace(/[.!?]+(["'”’)]*)\s*$/u, '$1');
};

/** Sentences run together with "and", commas or nothing, the next one starting in lower case. */
const runOn: Rule = (text, { rng }) =>
  text.replace(/([.!?])\s+(\p{Lu}[\p{L}'’]*)/gu, (_m, _p, word: string) => {
    const joiner = rng.pick([' and ', ', ', ' ', ' so ']);
    return joiner + (/^I(?:$|['’])/u.test(word) ? word : word.charAt(0).toLowerCase() + word.slice(1));
  });

/** Lower-case "i" and a lower-case start. */
const sloppyCase: Rule = (text) =>
  text.replace(/(?<![\p{L}\p{N}])I(?![\p{L}\p{N}])/gu, 'i').replace(/^\p{Lu}(?!\p{Lu})/u, (c) => c.toLowerCase());

/** One small word left out or written twice. */
const slip: Rule = (text, { rng }) => {
  const tokens = tokenize(text);
  const small = tokens.flatMap((t, i) => (/^(?:is|to|of|for|it|the|a|in|on|my|and)$/i.test(t.text) ? [i] : []));
  if (small.length === 0) return text;
  const i = rng.pick(small);
  if (rng.chance(0.5)) {
    tokens.splice(i, tokens[i + 1]?.kind === 'space' ? 2 : 1);
  } else {
    tokens.splice(i, 0, { text: tokens[i]!.text, kind: 'word' }, { text: ' ', kind: 'space' });
  }
  return joinTokens(tokens);
};

/**
 * Realistic writing mistakes (not keyboard typos): dropped articles, homophones and common misspellings, missing
 * apostrophes, commas and final punctuation, run-on sentences, lower-case "i", a word left out or doubled. Two or
 * three of these per variation.
 */
export function errorProne(text: string, ctx: StrategyContext): string {
  const rules = [dropArticles, confuse, dropPunctuation, runOn, sloppyCase, slip];
  const out = applyRules(text, rules, ctx, { min: 2, max: 3 });
  return out.trim() ? out : text;
}
