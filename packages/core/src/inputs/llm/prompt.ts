import type { BaseInput, Persona, Strategy } from '../../project/types.js';
import { STRATEGY_DESCRIPTIONS } from '../strategies/descriptions.js';
import { phrasebookFor } from '../strategies/phrasebooks/index.js';

/** One chat request: a system and a user message. */
export interface ChatPrompt {
  system: string;
  user: string;
}

const SYSTEM = [
  'You write test inputs for an AI agent: variations of a message a user sends to the agent.',
  'Each variation keeps the intent and the facts (names, numbers, ids, products) of the original message,',
  'and varies how it is written, as the strategy asks. Write only the messages, never answers to them.',
  'Reply with a JSON array of strings, one string per variation, and nothing else.',
].join(' ');

function describePersona(persona: Persona | null): string {
  if (!persona) return 'Persona: none given; write as a typical user of the agent.';
  const lines = [`Persona: ${persona.name}`];
  if (persona.description) lines.push(`Description: ${persona.description}`);
  if (persona.characteristics?.length) lines.push(`Characteristics: ${persona.characteristics.join('; ')}`);
  if (persona.expertise_level) lines.push(`Expertise level: ${persona.expertise_level}`);
  if (persona.language) lines.push(`Language: ${languageName(persona.language)}`);
  if (persona.goals?.length) lines.push(`Goals: ${persona.goals.join('; ')}`);
  return lines.join('\n');
}

function languageName(code: string): string {
  const book = phrasebookFor(code);
  if (book) return `${book.name} (${code})`;
  try {
    return `${new Intl.DisplayNames(['en'], { type: 'language' }).of(code) ?? code} (${code})`;
  } catch {
    return code;
  }
}

/** The prompt for `count` variations of one base input, for one persona and strategy. */
export function buildPrompt(options: {
  base: BaseInput;
  persona: Persona | null;
  strategy: Strategy;
  count: number;
  instructions?: string;
}): ChatPrompt {
  const { base, persona, strategy, count } = options;
  const language =
    strategy === 'multilingual'
      ? persona?.language && !/^en\b/i.test(persona.language)
        ? ` Write every variation in ${languageName(persona.language)}.`
        : ' Use a different language other than English for each variation where you can.'
      : '';
  const user = [
    `Strategy: ${strategy}. ${STRATEGY_DESCRIPTIONS[strategy]}`,
    '',
    'Original message:',
    '"""',
    base.input,
    '"""',
    '',
    describePersona(persona),
    ...(options.instructions ? ['', `Additional instructions: ${options.instructions}`] : []),
    '',
    `Write ${count} variation${count === 1 ? '' : 's'}. Each must differ from the original and from the others.${language}`,
    `Reply with a JSON array of exactly ${count} string${count === 1 ? '' : 's'} and nothing else.`,
  ].join('\n');
  return { system: SYSTEM, user };
}
