import type { PhraseTable } from './text.js';

/** Full form -> contraction, shared by casual (contract) and formal (expand). */
const PAIRS: readonly (readonly [string, string])[] = [
  ['do not', "don't"],
  ['does not', "doesn't"],
  ['did not', "didn't"],
  ['cannot', "can't"],
  ['will not', "won't"],
  ['would not', "wouldn't"],
  ['should not', "shouldn't"],
  ['could not', "couldn't"],
  ['is not', "isn't"],
  ['are not', "aren't"],
  ['was not', "wasn't"],
  ['were not', "weren't"],
  ['have not', "haven't"],
  ['has not', "hasn't"],
  ['I am', "I'm"],
  ['I will', "I'll"],
  ['I would', "I'd"],
  ['you are', "you're"],
  ['you will', "you'll"],
  ['we are', "we're"],
  ['they are', "they're"],
  ['it is', "it's"],
  ['that is', "that's"],
  ['there is', "there's"],
  ['what is', "what's"],
  ['where is', "where's"],
  ['how is', "how's"],
  ['let us', "let's"],
];

export const CONTRACT: PhraseTable = Object.fromEntries(PAIRS);

// "I have a question" -> "I've a question" reads wrong, so these only expand.
export const EXPAND: PhraseTable = Object.fromEntries([
  ...PAIRS.map(([full, short]) => [short, full]),
  ["I've", 'I have'],
  ["you've", 'you have'],
  ["we've", 'we have'],
]);
