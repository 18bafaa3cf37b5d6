import { EXPAND } from './contractions.js';
import { isImperative } from './rephrase.js';
import {
  applyRules,
  asSentence,
  looksLikeQuestion,
  lowerFirst,
  type PhraseTable,
  type Rule,
  replacePhrases,
  replaceSomePhrases,
  type StrategyContext,
  splitEnd,
  tidy,
  upperFirst,
} from './text.js';

/** Chat shorthand written out. */
const UNSLANG: PhraseTable = {
  gonna: 'going to',
  wanna: 'want to',
  gotta: 'have to',
  dunno: 'do not know',
  u: 'you',
  ur: 'your',
  pls: 'please',
  plz: 'please',
  thx: 'thank you',
  ty: 'thank you',
  cuz: 'because',
  yeah: 'yes',
  yep: 'yes',
  nope: 'no',
  asap: 'as soon as possible',
  btw: 'incidentally',
  idk: 'I do not know',
  info: 'information',
};

/** Everyday words and their formal counterparts. */
const REGISTER: PhraseTable = {
  'get a': ['obtain a', 'receive a'],
  'get my': ['receive my', 'obtain my'],
  'help with': ['assist with'],
  'need help': ['require assistance'],
  buy: ['purchase'],
  need: ['require'],
  'want to': ['wish to', 'would like to'],
  'tell me': ['inform me', 'advise me'],
  fix: ['resolve', 'rectify'],
  check: ['verify', 'review'],
  'find out': ['determine', 'ascertain'],
  'show me': ['provide me with'],
  'about my': ['regarding my', 'concerning my'],
  'about the': ['regarding the', 'concerning the'],
  enough: ['sufficient'],
  try: ['attempt'],
  'a lot of': ['a considerable number of', 'numerous'],
  'lots of': ['a considerable number of', 'numerous'],
  maybe: ['perhaps'],
  'right now': ['at present', 'at this time'],
  'as soon as possible': ['at your earliest convenience'],
  thanks: ['thank you'],
  hi: ['hello'],
  hey: ['hello'],
  kids: ['children'],
  'sort out': ['resolve'],
};

const GREETINGS = ['Dear Sir or Madam,\n\n', 'Dear Support Team,\n\n', 'Good day. ', 'Hello, ', 'Greetings. '];
const CLOSINGS = [
  'Thank you in advance for your assistance.',
  'I look forward to your reply.',
  'Kind regards.',
  'I appreciate your time and attention to this matter.',
];

const writeOut: Rule = (text, { rng }) =>
  replacePhrases(replacePhrases(text, EXPAND, rng, 1), UNSLANG, rng, 1).replace(
    /(?<![\p{L}\p{N}])i(?![\p{L}\p{N}])/gu,
    'I',
  );

const elevate: Rule = (text, { rng }) => replaceSomePhrases(text, REGISTER, rng, 0.7);

/** A polite frame matching the kind of request. */
const frame: Rule = (text, { rng }) => {
  const [body] = splitEnd(text);
  if (looksLikeQuestion(text)) {
    return rng.pick([
      `I would be grateful for your guidance on the following question: ${upperFirst(body)}?`,
      `May I ask the following: ${upperFirst(body)}?`,
    ]);
  }
  const request = lowerFirst(body.replace(/^please\s+/i, ''));
  if (isImperative(body)) {
    return rng.pick([
      `Could you kindly ${request}?`,
      `I would be grateful if you could ${request}.`,
      `I am writing to request that you ${request}.`,
    ]);
  }
  return rng.pick([
    `I am writing regarding the following matter: ${request}.`,
    `Please note the following: ${request}.`,
  ]);
};

const greet: Rule = (text, { rng }) => {
  const greeting = rng.pick(GREETINGS);
  return greeting + (greeting.endsWith(', ') ? lowerFirst(text) : upperFirst(text));
};
const close: Rule = (text, { rng }) => `${asSentence(text)} ${rng.pick(CLOSINGS)}`;

/** Sentence case, final punctuation, no emoji or repeated exclamation marks. */
const clean: Rule = (text) =>
  asSentence(
    tidy(
      text
        .replace(/\p{Extended_Pictographic}\uFE0F?/gu, '')
        .replace(/!{2,}/g, '!')
        .replace(/\?{2,}/g, '?'),
    ),
  );

/**
 * Formal register: contractions and chat shorthand always written out and the result always in sentence case with
 * final punctuation; then one to three of: formal vocabulary, a polite frame for the request, a greeting, a closing.
 */
export function formal(text: string, ctx: StrategyContext): string {
  const written = writeOut(text, ctx);
  return clean(applyRules(written, [elevate, frame, greet, close], ctx, { min: 1, max: 3, ordered: true }), ctx);
}
