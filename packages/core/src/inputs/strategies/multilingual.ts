import type { Persona } from '../../project/types.js';
import type { Rng } from '../seed.js';
import { PHRASEBOOKS, type Phrasebook, phrasebookFor } from './phrasebooks/index.js';
import { isQuestion, lowerFirst, replacePhrases, type StrategyContext, upperFirst } from './text.js';

/** Language codes the deterministic multilingual strategy can write. */
export const MULTILINGUAL_LANGUAGES: readonly string[] = PHRASEBOOKS.map((book) => book.code);

/**
 * The phrasebook for this entry: the persona's language when it has one (other than English, which the base
 * inputs are assumed to be in), else a seeded choice. A persona language without a phrasebook is an error the
 * planner reports before generating; here it can only be a bug.
 */
export function chooseLanguage(persona: Persona | null, rng: Rng): Phrasebook {
  const code = persona?.language;
  if (code && !code.toLowerCase().startsWith('en')) {
    const book = phrasebookFor(code);
    if (!book) throw new Error(`multilingual: no phrasebook for language "${code}"`);
    return book;
  }
  return rng.pick(PHRASEBOOKS);
}

/** Known words swapped for the language's (all of them, or about two in three for mixed-language text). */
function substitute(text: string, book: Phrasebook, rng: Rng, mixed: boolean): string {
  const out = replacePhrases(text, book.words, rng, mixed ? 0.65 : 1);
  return book.questionOpen && isQuestion(out) && !out.startsWith(book.questionOpen)
    ? book.questionOpen + lowerFirst(out)
    : out;
}

// A function replacement, so "$&" or "$1" in the user's text stays literal.
const fill = (template: string, text: string) => template.replace('{text}', () => text);

/** A greeting before the text; after "Hola," the sentence goes on in lower case. */
function greet(book: Phrasebook, rng: Rng, text: string): string {
  const greeting = rng.pick(book.greetings);
  return `${greeting} ${greeting.endsWith(',') ? lowerFirst(text) : text}`;
}

type Shape = (text: string, book: Phrasebook, rng: Rng) => string;

const SHAPES: readonly Shape[] = [
  // Phrasebook words in English word order, with a thank-you.
  (text, book, rng) => `${substitute(text, book, rng, false)} ${rng.pick(book.closings)}`,
  // Code-switching: greeting and framing in the language, the request itself left in English.
  (text, book, rng) => `${greet(book, rng, fill(rng.pick(book.frames), text))} ${rng.pick(book.replyIn)}`,
  // Greeting, mixed-language request, and asking for the answer in the language.
  (text, book, rng) => `${greet(book, rng, substitute(text, book, rng, true))} ${rng.pick(book.replyIn)}`,
  // Framed request with phrasebook words.
  (text, book, rng) => `${upperFirst(fill(rng.pick(book.frames), substitute(text, book, rng, false)))}`,
];

/**
 * The request in another language by rules: the persona's language when set, else a seeded choice among es, fr, de,
 * pt and it. Phrasebook substitution plus framing in that language; this is not translation (word order and
 * grammar stay English), which is what llm mode is for.
 */
export function multilingual(text: string, ctx: StrategyContext): string {
  const book = chooseLanguage(ctx.persona, ctx.rng);
  return ctx.rng.pick(SHAPES)(text.trim(), book, ctx.rng);
}
