import type { Persona } from '../../project/types.js';
import type { Rng } from '../seed.js';
import { casual } from './casual.js';
import { concise } from './concise.js';
import { errorProne } from './error-prone.js';
import { formal } from './formal.js';
import { asSentence, lowerFirst, type StrategyContext } from './text.js';
import { typo } from './typo.js';

type Expertise = NonNullable<Persona['expertise_level']>;

const EXPERTISE: Record<Expertise, readonly ((text: string) => string)[]> = {
  novice: [
    (t) => `Sorry if this is a basic question, I'm new to all this. ${t} Could you explain it in simple terms?`,
    (t) => `${t} Please keep it simple, I'm not very technical.`,
    (t) => `I'm not sure I'm asking this the right way, but ${lowerFirst(t)} What does that even involve?`,
  ],
  intermediate: [
    (t) => `I know the basics, but ${lowerFirst(t)}`,
    (t) => `${t} I've already tried the obvious things.`,
    (t) => `${t} A short explanation is enough, I've done similar things before.`,
  ],
  expert: [
    (t) => `${t} Skip the basics; I need the exact steps and any edge cases.`,
    (t) => `${t} Be precise, I'm familiar with the details and just need the specifics.`,
    (t) => `${t} Assume I know the domain; point me at the relevant settings or API directly.`,
  ],
};

type Shaper = (text: string, ctx: StrategyContext) => string;

/** How a characteristic shows in writing: matched by keyword, so free-form traits still have an effect. */
const TRAITS: readonly (readonly [RegExp, Shaper])[] = [
  [
    /impatien|busy|hurr|rush|no time|time-poor/i,
    (t, { rng }) => rng.pick([`Quick one: ${t} ASAP please.`, `${t} I don't have much time, so please be brief.`]),
  ],
  [
    /polite|courteous|kind|friendly/i,
    (t, { rng }) =>
      rng.pick([`Hello! ${t} Thank you so much!`, `${t} Many thanks for your help, it's really appreciated.`]),
  ],
  [
    /frustrat|angry|annoy|upset|irritat|furious/i,
    (t, { rng }) =>
      rng.pick([
        `This is really frustrating. ${t} I've already asked about this before!`,
        `${t} Why is this so complicated?!`,
      ]),
  ],
  [
    /confus|unsure|uncertain|anxious|nervous|worr|hesitant/i,
    (t, { rng }) =>
      rng.pick([
        `I'm a bit confused. ${t}`,
        `${t} I'm worried I'll make it worse, so please tell me if I'm missing something.`,
      ]),
  ],
  [
    /detail|thorough|meticulous|precise|analytic/i,
    (t) => `${t} Please be specific and include all the relevant details.`,
  ],
  [/skeptic|distrust|suspicious|doubt/i, (t) => `${t} And please don't just give me a generic answer.`],
  [/casual|informal|chatty|laid[- ]back|young/i, (t, ctx) => casual(t, ctx)],
  [/formal|professional|business|corporate/i, (t, ctx) => formal(t, ctx)],
  [/non[- ]native|second language|esl|learner|learning english/i, (t, ctx) => errorProne(t, ctx)],
  [/mobile|phone|thumb|sloppy|typo/i, (t, ctx) => typo(t, ctx)],
  [/terse|brief|concise|short|direct/i, (t, ctx) => concise(t, ctx)],
  [
    /elderly|older|senior|retired/i,
    (t) => `Hello, I hope I'm doing this right. ${t} Thank you for your patience with me.`,
  ],
];

/** "A busy parent who shops on mobile" -> "I'm a busy parent who shops on mobile." */
function introduce(description: string): string {
  const d = description.trim();
  if (/^(?:i|i'm|i am|my)\b/i.test(d)) return asSentence(d);
  if (/^(?:a|an|the)\s/i.test(d)) return asSentence(`I'm ${lowerFirst(d)}`);
  return asSentence(`About me: ${d}`);
}

const GOAL_FRAMES = [
  (g: string) => `My goal: ${g}.`,
  (g: string) => `What I'm after: ${g}.`,
  (g: string) => `Ultimately I want this: ${g}.`,
];

function shapeWithTraits(text: string, traits: readonly string[], ctx: StrategyContext): string {
  const shapers = traits.flatMap((trait) => TRAITS.filter(([pattern]) => pattern.test(trait)).map(([, s]) => s));
  const unmatched = traits.filter((trait) => !TRAITS.some(([pattern]) => pattern.test(trait)));
  let out = text;
  for (const shaper of ctx.rng.sample(shapers, ctx.rng.int(1, 2))) out = shaper(out, ctx);
  if (unmatched.length && (shapers.length === 0 || ctx.rng.chance(0.3))) {
    out = `${out} (Something about me: ${ctx.rng.pick(unmatched).replace(/[.\s]+$/, '')}.)`;
  }
  return out;
}

/** "pt-BR" -> "Brazilian Portuguese"; English and unknown codes -> undefined (nothing worth mentioning). */
function languageName(code: string | undefined): string | undefined {
  if (!code || /^en\b/i.test(code)) return undefined;
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

const pieceChance = (rng: Rng, present: boolean, probability: number) => present && rng.chance(probability);

/** Without a persona: a typical user of any expertise, now and then with a common trait. */
function typicalUser(rng: Rng): Persona {
  return {
    name: 'typical user',
    expertise_level: rng.pick(['novice', 'intermediate', 'expert'] as const),
    ...(rng.chance(0.4) ? { characteristics: [rng.pick(['impatient', 'polite', 'confused', 'detail-oriented'])] } : {}),
  };
}

/**
 * The request as the persona would write it: introduced by its description, framed by its expertise level,
 * shaped by its characteristics (impatient, polite, frustrated, non-native, on mobile, ... by keyword; other traits
 * are mentioned), with one of its goals. At least one of these applies; a persona with none of them set gets an
 * intermediate user's framing, and no persona at all a typical user of a seeded expertise level.
 */
export function personaBased(text: string, ctx: StrategyContext): string {
  const { rng } = ctx;
  const persona = ctx.persona ?? typicalUser(rng);
  const body = asSentence(text);
  const traits = persona?.characteristics ?? [];
  const goals = persona?.goals ?? [];
  let useIntro = pieceChance(rng, !!persona?.description, 0.6);
  let useExpertise = pieceChance(rng, !!persona?.expertise_level, 0.7);
  let useTraits = pieceChance(rng, traits.length > 0, 0.75);
  const useGoal = pieceChance(rng, goals.length > 0, 0.5);
  if (!useIntro && !useExpertise && !useTraits && !useGoal) {
    if (traits.length) useTraits = true;
    else if (persona?.expertise_level) useExpertise = true;
    else if (persona?.description) useIntro = true;
  }
  let out = body;
  if (useTraits) out = shapeWithTraits(out, traits, ctx);
  const level: Expertise | undefined = useExpertise
    ? persona?.expertise_level
    : !useIntro && !useTraits && !useGoal
      ? 'intermediate'
      : undefined;
  if (level) out = rng.pick(EXPERTISE[level])(out);
  if (useIntro) out = `${introduce(persona!.description!)} ${out}`;
  if (useGoal) out = `${out} ${rng.pick(GOAL_FRAMES)(rng.pick(goals).replace(/[.\s]+$/, ''))}`;
  const language = languageName(persona?.language);
  if (language && rng.chance(0.3)) out = `${out} (${language} is my first language.)`;
  return out;
}
