import { CONTRACT } from './contractions.js';
import {
  applyRules,
  lowerFirst,
  type PhraseTable,
  type Rule,
  replacePhrases,
  replaceSomePhrases,
  type StrategyContext,
  splitEnd,
} from './text.js';

/** Formal openings turned into what people type in a chat box. */
const RELAXED: PhraseTable = {
  'could you please': ['can you', 'can u', 'could u'],
  'would you please': ['can you', 'can u'],
  'i would like to': ['I wanna', "I'd like to"],
  'i want to': ['I wanna'],
  'would it be possible to': ['can I', 'any way to'],
  'is it possible to': ['can I', 'any way to'],
  'going to': ['gonna'],
  'got to': ['gotta'],
  'have to': ['gotta'],
  'do not know': ['dunno'],
  "don't know": ['dunno'],
};

const SLANG: PhraseTable = {
  yes: ['yeah', 'yep'],
  okay: ['ok', 'k'],
  because: ['cuz', "'cause"],
  please: ['pls', 'plz'],
  thanks: ['thx', 'ty'],
  'thank you': ['thx', 'ty', 'thanks'],
  probably: ['prob', 'prolly'],
  'by the way': ['btw'],
  'as soon as possible': ['asap', 'ASAP'],
  'to be honest': ['tbh'],
  'i do not know': ['idk'],
  you: ['u'],
  your: ['ur'],
  really: ['rly', 'super'],
  tomorrow: ['tmrw'],
  message: ['msg'],
  information: ['info'],
  something: ['smth'],
};

const GREETINGS = ['hey', 'hey there', 'hi', 'yo', 'hiya', 'heyy', 'sup'];
const SIGN_OFFS = [' thx!', ' lol', ' 🙏', ' :)', ' haha', ' ty!', '??', ' 😅'];

const contract: Rule = (text, { rng }) => replacePhrases(text, CONTRACT, rng, 0.9);
const relax: Rule = (text, { rng }) => replaceSomePhrases(text, RELAXED, rng, 0.9);
const slang: Rule = (text, { rng }) => replaceSomePhrases(text, SLANG, rng, 0.5);
const greet: Rule = (text, { rng }) => `${rng.pick(GREETINGS)}${rng.pick([', ', ' ', '! '])}${lowerFirst(text)}`;

/** Lower-case start and no final period (a question mark may stay). */
const lowercase: Rule = (text) => {
  const [body, end] = splitEnd(text);
  return lowerFirst(body) + (end.includes('?') ? '?' : '');
};

const signOff: Rule = (text, { rng }) => {
  const [body, end] = splitEnd(text);
  return body + (end.includes('?') ? '?' : '') + rng.pick(SIGN_OFFS);
};

/**
 * Informal register: contractions, chat slang and abbreviations, relaxed openings ("can u"), a casual greeting,
 * lower case without the final period, a sign-off or emoji. Two to four of these per variation.
 */
export function casual(text: string, ctx: StrategyContext): string {
  const rules = [relax, contract, slang, greet, lowercase, signOff];
  return applyRules(text, rules, ctx, { min: 2, max: 4, ordered: true });
}
