/**
 * A small phrasebook for the multilingual strategy: common words of requests to an agent and some framing in the
 * language. Word-for-word substitution is not translation (word order, gender and conjugation stay English-shaped);
 * it produces the mixed-language and code-switched text real users send. LLM mode translates properly.
 */
export interface Phrasebook {
  /** ISO 639-1 code. */
  code: string;
  /** English name, for prompts and docs. */
  name: string;
  greetings: readonly string[];
  /** Templates around the request; `{text}` is replaced. */
  frames: readonly string[];
  /** "Please answer in <language>." */
  replyIn: readonly string[];
  closings: readonly string[];
  /** Lower-case English word or phrase -> the word in the language. */
  words: Readonly<Record<string, string>>;
  /** Opening mark for questions (Spanish ¿). */
  questionOpen?: string;
}
