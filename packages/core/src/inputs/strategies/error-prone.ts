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
  cancel: ['cancle', 'cancell'],
  because: ['becuase', 'beacuse'],
  schedule: ['schedual'],
  appointment: ['appointmant'],
  available: ['availible'],
  calendar: ['calender'],
  business: ['buisness'],
  believe: ['beleive'],
  really: ['realy'],
  probably: ['probly'],
  different: ['diffrent'],
  information: ['infomation'],
  payment: ['paymant'],
  delivery: ['delivary'],
  restaurant: ['restarant'],
  weird: ['wierd'],
  friend: ['freind'],
  experience: ['expirience'],
  subscription: ['subcription'],
  guarantee: ['garantee'],
  occurred: ['occured'],
  embarrassed: ['embarassed'],
  government: ['goverment'],
  environment: ['enviroment'],
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

/** One short word left out or written twice ("help cancel order", "the the"). */
const slip: Rule = (text, { rng }) => {
  const tokens = tokenize(text);
  const small = tokens.flatMap((t, i) =>
    t.kind === 'word' && /^\p{L}{1,4}$/u.test(t.text) && t.text !== 'I' ? [i] : [],
  );
  if (small.length === 0) return text;
  const i = rng.pick(small);
  if (rng.chance(0.5) && tokens.filter((t) => t.kind === 'word').length > 2) {
    tokens.splice(i, tokens[i + 1]?.kind === 'space' ? 2 : 1);
  } else {
    tokens.splice(i, 0, { text: tokens[i]!.text.toLowerCase(), kind: 'word' }, { text: ' ', kind: 'space' });
  }
  return joinTokens(tokens);
};

/** Stray capitals in the middle of a sentence ("cancel My Order"). */
const strayCapitals: Rule = (text, { rng }) => {
  const tokens = tokenize(text);
  const lower = tokens.flatMap((t, i) => (i > 0 && t.kind === 'word' && /^\p{Ll}{3,}$/u.test(t.text) ? [i] : []));
  if (lower.length === 0) return text;
  for (const i of rng.sample(lower, rng.int(1, Math.min(2, lower.length)))) {
    tokens[i] = { ...tokens[i]!, text: tokens[i]!.text.charAt(0).toUpperCase() + tokens[i]!.text.slice(1) };
  }
  return joinTokens(tokens);
};

/**
 * Realistic writing mistakes (not keyboard typos): dropped articles, homophones and common misspellings, missing
 * apostrophes, commas and final punctuation, run-on sentences, lower-case "i", a short word left out or doubled,
 * stray capitals. Two or three of these per variation.
 */
export function errorProne(text: string, ctx: StrategyContext): string {
  const rules = [dropArticles, confuse, dropPunctuation, runOn, sloppyCase, slip, strayCapitals];
  const out = applyRules(text, rules, ctx, { min: 2, max: 3 });
  return out.trim() ? out : text;
}
