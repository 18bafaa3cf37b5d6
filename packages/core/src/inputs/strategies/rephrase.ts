import {
  applyRules,
  asSentence,
  isQuestion,
  looksLikeQuestion,
  lowerFirst,
  type PhraseTable,
  type Rule,
  replaceSomePhrases,
  type StrategyContext,
  sentences,
  splitEnd,
  upperFirst,
} from './text.js';

/** Same meaning, different words: phrase-level so that inflections and idioms stay grammatical. */
const SYNONYMS: PhraseTable = {
  'help with': ['assist with'],
  'need help': ['need assistance', 'need some support'],
  'want to': ['would like to', 'wish to', 'am looking to'],
  need: ['require'],
  'need to': ['have to', 'must'],
  buy: ['purchase', 'get'],
  fix: ['resolve', 'sort out', 'repair'],
  problem: ['issue', 'trouble'],
  issue: ['problem'],
  error: ['failure', 'problem'],
  broken: ['not working', 'faulty'],
  'show me': ['let me see', 'give me'],
  'tell me': ['let me know', 'explain'],
  find: ['locate'],
  'find out': ['figure out', 'learn'],
  'give me': ['provide me with', 'send me'],
  change: ['modify', 'update'],
  update: ['change', 'modify'],
  cancel: ['call off', 'stop'],
  delete: ['remove', 'erase'],
  remove: ['delete', 'take off'],
  start: ['begin'],
  begin: ['start'],
  stop: ['end', 'halt'],
  quick: ['fast', 'speedy'],
  quickly: ['fast', 'soon'],
  big: ['large'],
  small: ['little'],
  check: ['verify', 'look at'],
  send: ['forward'],
  question: ['query'],
  explain: ['describe', 'clarify'],
  order: ['purchase'],
  account: ['profile'],
  money: ['funds'],
  refund: ['reimbursement', 'money back'],
  price: ['cost'],
  cheap: ['inexpensive', 'affordable'],
  expensive: ['pricey', 'costly'],
  soon: ['shortly'],
  again: ['once more'],
  maybe: ['perhaps'],
  'a lot of': ['many', 'plenty of'],
  'how do i': ['how can I', 'what is the way to'],
  'how can i': ['how do I', 'what do I do to'],
  "what's": ['what is'],
  'is there': ['do you have'],
  'can you': ['could you', 'would you'],
  'could you': ['can you', 'would you'],
  please: ['kindly'],
  thanks: ['thank you', 'much appreciated'],
  'thank you': ['thanks', 'many thanks'],
};

/** Imperative openings: verbs a request to an agent often starts with. */
const IMPERATIVE =
  /^(?:please\s+)?(?:add|analy[sz]e|book|buy|calculate|cancel|change|check|close|compare|create|delete|describe|draft|explain|find|fix|generate|get|give|help|list|look|make|move|open|order|plan|recommend|remove|rename|reset|reschedule|restore|schedule|search|send|set|show|sort|suggest|summari[sz]e|tell|track|translate|turn|update|upgrade|write)\b/i;

export const isImperative = (text: string): boolean => IMPERATIVE.test(text.trim());

/** Swaps in synonyms for about half of the words that have one (at least one). */
const synonyms: Rule = (text, { rng }) => replaceSomePhrases(text, SYNONYMS, rng, 0.5);

const SUBORDINATE = /^(.+?),?\s+(because|since|when|if|after|before|once|unless|as soon as)\s+(.+)$/i;

/** "Reset it because I forgot it." -> "Because I forgot it, reset it."; several sentences: the last one first. */
const reorder: Rule = (text) => {
  const parts = sentences(text);
  if (parts.length > 1) return [parts[parts.length - 1]!, ...parts.slice(0, -1)].join(' ');
  const [body, end] = splitEnd(text);
  const m = SUBORDINATE.exec(body);
  if (!m || m[1]!.split(/\s+/).length < 2) return text;
  return `${upperFirst(m[2]!.toLowerCase())} ${m[3]}, ${lowerFirst(m[1]!)}${end || '.'}`;
};

const IMPERATIVE_QUESTIONS = [
  (x: string) => `Can you ${x}?`,
  (x: string) => `Could you please ${x}?`,
  (x: string) => `Would you ${x} for me?`,
  (x: string) => `Is it possible to ${x}?`,
  (x: string) => `I need you to ${x}.`,
  (x: string) => `${upperFirst(x)}, please.`,
];

const QUESTION_FRAMES = [
  (q: string) => `Quick question: ${q}`,
  (q: string) => `I was wondering, ${lowerFirst(q)}`,
  (q: string) => `Can you tell me something? ${q}`,
  (q: string) => `${q} I couldn't figure it out myself.`,
  (q: string) => `Help me understand: ${lowerFirst(q)}`,
];

const STATEMENT_FRAMES = [
  (s: string) => `${s} Can you help?`,
  (s: string) => `Here's my situation: ${lowerFirst(s)} What should I do?`,
  (s: string) => `${s} What are my options?`,
  (s: string) => `So, ${lowerFirst(s)} Any advice?`,
];

/** Recasts the request: imperative -> polite question, question -> framed question, statement -> ask for help. */
const recast: Rule = (text, { rng }) => {
  const trimmed = text.trim();
  if (looksLikeQuestion(trimmed))
    return rng.pick(QUESTION_FRAMES)(isQuestion(trimmed) ? trimmed : `${splitEnd(trimmed)[0]}?`);
  if (isImperative(trimmed)) {
    const [body] = splitEnd(trimmed);
    const request = lowerFirst(body.replace(/^please\s+/i, ''));
    return rng.pick(IMPERATIVE_QUESTIONS)(request);
  }
  return rng.pick(STATEMENT_FRAMES)(asSentence(trimmed));
};

/** Reworded with synonyms, reordered clauses and question templates; one or two of these per variation. */
export function rephrase(text: string, ctx: StrategyContext): string {
  return applyRules(text, [synonyms, reorder, recast], ctx, { min: 1, max: 2 });
}
