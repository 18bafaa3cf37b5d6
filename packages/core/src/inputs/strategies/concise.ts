import {
  applyRules,
  isQuestion,
  type PhraseTable,
  type Rule,
  replacePhrases,
  type StrategyContext,
  sentences,
  splitEnd,
  tidy,
  upperFirst,
} from './text.js';

const GREETING =
  /^(?:hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening)|dear [^,.!\n]{1,40})(?: there)?[,!.]*\s+/i;
const SIGN_OFF =
  /\s*(?:(?:many |thanks |thank you )?(?:thanks|thank you|thx|cheers|regards|best|kind regards)(?: (?:so much|a lot|in advance|for (?:your|the) help))*[.!]*)$/i;

/** Greetings and sign-offs that carry no request. */
const stripGreeting: Rule = (text) => {
  const out = text.replace(GREETING, '').replace(SIGN_OFF, '');
  return out.trim() ? upperFirst(out) : text;
};

const POLITE_OPENING =
  /^(?:(?:i was wondering|i'm wondering|i wonder) if (?:you could|i could)|(?:would|will|can|could) you(?: please| kindly)?|would it be possible to|is it possible to|i would like(?: you)? to|i'd like(?: you)? to|i want(?: you)? to|please)\s+/i;

/** "Could you please reset my password?" -> "Reset my password." */
const stripPoliteOpening: Rule = (text) => {
  const m = POLITE_OPENING.exec(text);
  if (!m || !text.slice(m[0].length).trim()) return text;
  const rest = text.slice(m[0].length);
  const [body, end] = splitEnd(rest);
  const wasAsking = /\b(?:you|possible)\b/i.test(m[0]) && isQuestion(text);
  return upperFirst(body) + (wasAsking ? '.' : end || '');
};

const FILLERS: PhraseTable = Object.fromEntries(
  [
    'just',
    'really',
    'actually',
    'basically',
    'very',
    'quite',
    'simply',
    'literally',
    'kind of',
    'sort of',
    'a bit',
    'honestly',
    'perhaps',
    'please',
    'kindly',
    'somehow',
    'so much',
  ].map((w) => [w, '']),
);

/** Hedges, intensifiers and politeness words. */
const stripFillers: Rule = (text, { rng }) => {
  const out = tidy(replacePhrases(text, FILLERS, rng, 1));
  return out ? upperFirst(out) : text;
};

/** Sentences that carry no information: pleasantries and generic asks for help. */
const EMPTY_SENTENCE =
  /^(?:(?:hi|hello|hey)(?: there)?|good (?:morning|afternoon|evening)|i hope (?:you are|you're) (?:well|doing well)|(?:thanks|thank you)(?: \w+){0,4}|(?:can|could|would) you(?: please)? help(?: me)?(?: with (?:this|that))?|any (?:advice|ideas|help)|what should i do|please help)[.!?]*$/i;

/** Of several sentences, drops those that carry no information (the facts the request needs all stay). */
const keepRequest: Rule = (text) => {
  const parts = sentences(text);
  if (parts.length < 2) return text;
  const kept = parts.filter((s) => !EMPTY_SENTENCE.test(s));
  return kept.length && kept.length < parts.length ? kept.join(' ') : text;
};

const ARTICLES: PhraseTable = { the: '', a: '', an: '', my: '', your: '', 'i need to': '', 'i want to': '' };

/** Telegraphic style: no articles or possessives, no final period. */
const telegraphic: Rule = (text, { rng }) => {
  const [body, end] = splitEnd(replacePhrases(text, ARTICLES, rng, 1));
  const out = tidy(body);
  return out ? upperFirst(out) + (end.includes('?') ? '?' : '') : text;
};

const QUESTION_FRAME =
  /^(?:how (?:do|can|should|would) (?:i|we)|what is the way to|where (?:do|can) (?:i|we)|is there a way to|what do i do to)\s+(.+?)\s*\?+$/i;

/** "How do I reset my password?" -> "Reset my password?" / "Reset my password - how?" */
const stripQuestionFrame: Rule = (text, { rng }) => {
  const m = QUESTION_FRAME.exec(text.trim());
  if (!m) return text;
  return upperFirst(m[1]!) + rng.pick(['?', ' - how?', ': steps?']);
};

/** The reason given for a request: "Cancel order 12 because it arrived late." -> "Cancel order 12." */
const dropReason: Rule = (text) => {
  const out = text.replace(/,?\s+(?:because|since|as|so that)\s+[^.!?]+/i, '');
  return out.trim() && out !== text ? out : text;
};

/** Chat-box minimal: lower-case start, no final period. */
const bare: Rule = (text) => {
  const [body, end] = splitEnd(text);
  const out = body.charAt(0).toLowerCase() + body.slice(1) + (end.includes('?') ? '?' : '');
  return out.trim() ? out : text;
};

/**
 * Down to the request: greetings, polite openings, fillers and extra sentences removed, sometimes telegraphic.
 * One to four of these, always in that order (question frames and reasons dropped, lower case at the end); never empty (a rule that would empty the text does nothing).
 */
export function concise(text: string, ctx: StrategyContext): string {
  const rules = [
    stripGreeting,
    keepRequest,
    stripPoliteOpening,
    stripQuestionFrame,
    stripFillers,
    dropReason,
    telegraphic,
    bare,
  ];
  return applyRules(text.trim(), rules, ctx, { min: 1, max: 4, ordered: true });
}
