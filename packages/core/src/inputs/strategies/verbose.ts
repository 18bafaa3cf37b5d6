import {
  applyRules,
  asSentence,
  lowerFirst,
  type PhraseTable,
  type Rule,
  replacePhrases,
  type StrategyContext,
  tidy,
} from './text.js';

const OPENINGS = [
  "Hi there! I hope you're doing well.",
  'Hello, and thanks in advance for taking the time to read this.',
  "Good morning! I've got something I was hoping you could help me with.",
  "Hey, sorry to bother you, I know you're probably busy.",
  'Hi! I have a question that has been on my mind for a while now.',
];

const BACKGROUND = [
  "For some background, I've been a customer for a few years and this is the first time I've had to ask about this.",
  "I've already tried looking this up myself, but I couldn't find a clear answer anywhere.",
  'A friend of mine ran into something similar last month, but their situation was a bit different from mine.',
  "I tried to sort it out on my own yesterday and the day before, but I didn't get very far.",
  "It's been on my to-do list for a while, and I finally have some time to deal with it properly.",
];

const DETAIL_REQUESTS = [
  'Could you walk me through it step by step, and mention anything I should watch out for?',
  'If there are several ways to do this, could you list them with their pros and cons?',
  "Please be as detailed as you can, I'd rather have too much information than too little.",
  'It would also help to know how long this usually takes and whether there are any costs involved.',
  "If you need any more information from me to answer this, just let me know and I'll provide it.",
];

const CLOSINGS = [
  'Thanks so much in advance, I really appreciate your help!',
  'Thank you for your patience with all of this, and have a great day.',
  "Looking forward to hearing back from you, and thanks again, it's much appreciated.",
  'Anyway, that is pretty much everything I wanted to ask. Thanks!',
];

/** Intensifiers and hedges people add when they write at length. */
const PADDING: PhraseTable = {
  'i need': ['I really need', 'I actually need', 'I kind of need'],
  'i want': ['I would really like', 'I actually want'],
  'can you': ['would you be able to', 'is there any chance you could'],
  'could you': ['would you be so kind as to', 'could you possibly'],
  'how do i': ['how exactly do I', 'how do I actually'],
  please: ['please, if at all possible,'],
};

const opening: Rule = (text, { rng }) => `${rng.pick(OPENINGS)} ${text}`;
const background: Rule = (text, { rng }) => `${text} ${rng.pick(BACKGROUND)}`;
/** Restates the original request (not the padding around it) at the end. */
const restate =
  (request: string): Rule =>
  (text, { rng }) =>
    `${text} ${rng.pick(['In other words,', 'To put it another way,', 'Just to be clear,'])} ${lowerFirst(request)}`;
const detail: Rule = (text, { rng }) => `${text} ${rng.pick(DETAIL_REQUESTS)}`;
const pad: Rule = (text, { rng }) => replacePhrases(text, PADDING, rng, 0.8);
const closing: Rule = (text, { rng }) => `${text} ${rng.pick(CLOSINGS)}`;

/**
 * The same request with context and detail around it: an opening, background, a restatement, requests for detail,
 * hedges and intensifiers, a closing (two to four of these, in reading order). Tests that the agent finds the
 * request inside a long message.
 */
export function verbose(text: string, ctx: StrategyContext): string {
  const body = asSentence(text);
  const rules = [pad, opening, background, restate(body), detail, closing];
  return tidy(applyRules(body, rules, ctx, { min: 2, max: 4, ordered: true }));
}
