import { describe, expect, it } from 'vitest';
import { type Persona, Rng, STRATEGIES, STRATEGY_TRANSFORMS, type Strategy } from '../../src/index.js';
import { PERSONAS } from './helpers/config.js';

const SAMPLE = 'Could you please help me cancel my order #4512? It arrived late and I want a refund.';
const SEEDS = Array.from({ length: 60 }, (_, i) => i * 7919 + 1);

const run = (strategy: Strategy, text: string, seed: number, persona: Persona | null = null) =>
  STRATEGY_TRANSFORMS[strategy](text, { rng: new Rng(seed), persona });

const outputs = (strategy: Strategy, text: string, persona: Persona | null = null, seeds = SEEDS) =>
  seeds.map((seed) => run(strategy, text, seed, persona));

/** Which of the named patterns occur in any of the outputs. */
const seen = (texts: string[], kinds: Record<string, (text: string) => boolean>) =>
  new Set(Object.keys(kinds).filter((kind) => texts.some(kinds[kind]!)));

/** No lone surrogate halves (a split emoji) and no replacement characters. */
const wellFormed = (s: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s) && !s.includes('\uFFFD');

describe.each(STRATEGIES)('%s', (strategy) => {
  it('gives the same text for the same seed and different text across seeds', () => {
    expect(outputs(strategy, SAMPLE)).toEqual(outputs(strategy, SAMPLE));
    expect(new Set(outputs(strategy, SAMPLE)).size).toBeGreaterThanOrEqual(strategy === 'concise' ? 4 : 10);
  });

  it('always changes a normal request', () => {
    expect(outputs(strategy, SAMPLE).filter((out) => out === SAMPLE)).toEqual([]);
  });

  it('leaves identifiers whole: no rule takes the "A" of A-1001 for an article', () => {
    const text = 'Where is my order A-1001? It should have shipped with SKU_42 a week ago.';
    const spanish: Persona = { name: 'lucia', language: 'es', description: 'A customer from Madrid' };
    for (const out of [
      ...outputs(strategy, text),
      ...outputs(strategy, text, spanish),
      ...outputs(strategy, text, PERSONAS.bruno),
    ]) {
      expect(out).toMatch(/(?<![\p{L}\p{N}-])A-1001(?![\p{L}\p{N}])/iu);
      expect(out).toMatch(/(?<![\p{L}\p{N}_])SKU_42(?![\p{L}\p{N}])/iu);
    }
  });

  it('keeps unicode text well-formed and leaves emoji and accented words whole', () => {
    const text = 'Où est ma commande « Zürich-42 » ? 🚚 Danke schön!';
    for (const out of outputs(strategy, text)) {
      expect(wellFormed(out)).toBe(true);
      // Formal writing drops emoji on purpose; typos may hit the accented words themselves.
      if (strategy !== 'formal') expect(out).toContain('🚚');
      expect(out).toContain('42');
    }
  });

  it('copes with very short and almost empty text', () => {
    for (const text of ['hi', '?', '42', ' ok ', 'a']) {
      for (const out of outputs(strategy, text, null, SEEDS.slice(0, 10))) {
        expect(out.trim().length).toBeGreaterThan(0);
        expect(wellFormed(out)).toBe(true);
      }
    }
  });

  it('copes with long text and keeps its facts', () => {
    const long = Array.from({ length: 60 }, (_, i) => `Item ${i}: ${SAMPLE}`).join(' ');
    for (const out of outputs(strategy, long, null, SEEDS.slice(0, 5))) {
      expect(out).toContain('#4512');
      expect(out.length).toBeGreaterThan(long.length / 3);
    }
  });
});

/** How one word became another, if by one keyboard slip. */
function slip(a: string, b: string): string | undefined {
  const rows = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
  const at = (c: string) => rows.findIndex((r) => r.includes(c.toLowerCase()));
  const near = (x: string, y: string) => {
    const [rx, ry] = [at(x), at(y)];
    const [cx, cy] = [rows[rx]!.indexOf(x.toLowerCase()), rows[ry]!.indexOf(y.toLowerCase())];
    return rx >= 0 && ry >= 0 && Math.abs(rx - ry) <= 1 && Math.abs(cx - cy) <= 1;
  };
  if (b.length === a.length - 1 && [...a].some((_, i) => a.slice(0, i) + a.slice(i + 1) === b)) return 'omit';
  if (b.length === a.length + 1 && [...a].some((c, i) => a.slice(0, i + 1) + c + a.slice(i + 1) === b)) return 'double';
  if (b.length !== a.length) return undefined;
  const diff = [...a].flatMap((c, i) => (c !== b[i] ? [i] : []));
  if (diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!]) {
    return 'transpose';
  }
  if (diff.length === 1 && near(a[diff[0]!]!, b[diff[0]!]!)) return 'substitute';
  return undefined;
}

describe('typo', () => {
  it('misspells some words but never all, each by one keyboard slip of every kind', () => {
    const text = 'Please reset the password for my account today';
    const words = text.split(' ');
    const kinds = new Set<string | undefined>();
    for (const out of outputs('typo', text)) {
      const changed = out.split(' ').flatMap((w, i) => (w !== words[i] ? [[words[i]!, w] as const] : []));
      expect(changed.length).toBeGreaterThanOrEqual(1);
      expect(changed.length).toBeLessThan(words.length);
      for (const [a, b] of changed) kinds.add(slip(a, b));
    }
    expect(kinds).toEqual(new Set(['substitute', 'transpose', 'omit', 'double']));
  });

  it('leaves numbers, ids and one-letter words alone', () => {
    for (const out of outputs('typo', 'Order 4512 for customer A-77 was late')) {
      expect(out.match(/\d+/g)).toEqual(['4512', '77']);
      expect(out).toContain('A-77');
    }
    expect(outputs('typo', 'a ?')).toEqual(SEEDS.map(() => 'a ?'));
    expect(outputs('typo', 'hello').every((out) => out !== 'hello' && slip('hello', out))).toBe(true);
  });
});

describe('rephrase', () => {
  it('uses synonyms, reordered clauses and question templates', () => {
    const texts = outputs('rephrase', 'Cancel my order because it arrived late.');
    expect(
      seen(texts, {
        reordered: (t) => t.startsWith('Because it arrived late,'),
        question: (t) => t.endsWith('?'),
        synonym: (t) => /purchase|call off|stop/i.test(t),
      }),
    ).toEqual(new Set(['reordered', 'question', 'synonym']));
  });
});

describe('verbose and concise', () => {
  it('verbose keeps the request inside at least twice the text', () => {
    for (const out of outputs('verbose', 'How do I reset my password?')) {
      expect(out).toContain('reset my password');
      expect(out.length).toBeGreaterThan(2 * 'How do I reset my password?'.length);
    }
  });

  it('concise removes greetings, polite openings and fillers but keeps the request', () => {
    const text = 'Hi there! Could you please just reset my password? Thanks so much!';
    const texts = outputs('concise', text);
    for (const out of texts) {
      expect(out.length).toBeLessThan(text.length);
      expect(out).toMatch(/password/);
    }
    expect(
      seen(texts, {
        greeting: (t) => !/Hi there/.test(t),
        polite: (t) => !/Could you/.test(t),
        filler: (t) => !/just/.test(t),
      }),
    ).toEqual(new Set(['greeting', 'polite', 'filler']));
  });

  it('concise never empties a text made only of pleasantries', () => {
    for (const text of ['Thanks!', 'Please.', 'Hi there!']) {
      expect(outputs('concise', text).every((out) => out.trim().length > 0)).toBe(true);
    }
  });
});

describe('error_prone', () => {
  it('makes human mistakes of several kinds', () => {
    const text = "I don't know if their store is open. I'd like to buy a gift for the team.";
    const texts = outputs('error_prone', text);
    expect(
      seen(texts, {
        apostrophe: (t) => /\bdont\b|\bId\b/.test(t),
        homophone: (t) => /there store|they're store|\bby a gift|\bno if/.test(t),
        lowercaseI: (t) => /(^|\s)i\s/.test(t),
        runOn: (t) => !/open\. I/.test(t) && /open/.test(t),
        article: (t) => !/\ba gift\b/.test(t) && !/\bthe team\b/.test(t),
      }),
    ).toEqual(new Set(['apostrophe', 'homophone', 'lowercaseI', 'runOn', 'article']));
  });
});

describe('casual and formal', () => {
  it('casual writes like a chat message', () => {
    const text = 'I am not able to log in. Could you please help me? Thank you.';
    const texts = outputs('casual', text);
    expect(
      seen(texts, {
        contraction: (t) => /I'm|isn't|can't/.test(t),
        relaxed: (t) => /can u|can you|could u/i.test(t),
        slang: (t) => /\b(pls|plz|thx|ty|u)\b/.test(t),
        greeting: (t) => /^(hey|yo|hi|hiya|heyy|sup)\b/.test(t),
      }),
    ).toEqual(new Set(['contraction', 'relaxed', 'slang', 'greeting']));
  });

  it('formal writes out contractions and shorthand, and ends like a sentence', () => {
    for (const out of outputs('formal', "hey i can't log in, gonna need help asap pls 🙏")) {
      expect(out).not.toMatch(/can't|gonna|\bpls\b|\basap\b|🙏|(^|\s)i\s/);
      expect(out).toMatch(/^\p{Lu}/u);
      expect(out).toMatch(/[.?!]$/);
    }
  });
});

const LANGUAGE_MARKERS: Record<string, RegExp> = {
  es: /Hola|Buenos|Gracias|español|contraseña/,
  fr: /Bonjour|Salut|Merci|français|commande|mot de passe/,
  de: /Hallo|Guten Tag|Danke|Deutsch|Bestellung|Passwort/,
  pt: /Olá|Oi,|Bom dia|Obrigad|português|senha/,
  it: /Ciao|Buongiorno|Salve|Grazie|italiano|ordine/,
};

const languagesOf = (texts: string[]) =>
  seen(
    texts,
    Object.fromEntries(Object.entries(LANGUAGE_MARKERS).map(([code, re]) => [code, (t: string) => re.test(t)])),
  );

describe('multilingual', () => {
  const text = 'Can you help me cancel my order? I forgot my password.';

  it("writes in the persona's language", () => {
    expect(languagesOf(outputs('multilingual', text, PERSONAS.bruno as Persona))).toEqual(new Set(['de']));
    expect(languagesOf(outputs('multilingual', text, { name: 'p', language: 'pt-BR' }))).toEqual(new Set(['pt']));
    for (const out of outputs('multilingual', text, PERSONAS.bruno as Persona))
      expect(out).toMatch(LANGUAGE_MARKERS.de!);
  });

  it('picks one of five languages by seed when the persona has none or English', () => {
    expect(languagesOf(outputs('multilingual', text))).toEqual(new Set(['es', 'fr', 'de', 'pt', 'it']));
    expect(languagesOf(outputs('multilingual', text, { name: 'p', language: 'en' }))).toEqual(
      new Set(['es', 'fr', 'de', 'pt', 'it']),
    );
  });

  it('opens Spanish questions with ¿', () => {
    const spanish = outputs('multilingual', 'How do I reset my password?', { name: 'p', language: 'es' });
    expect(spanish.some((t) => t.includes('¿'))).toBe(true);
  });
});

describe('adversarial', () => {
  const text = 'Where is my parcel?';

  it('wraps the request in every kind of attack, keeping the request', () => {
    const texts = outputs(
      'adversarial',
      text,
      null,
      Array.from({ length: 150 }, (_, i) => i),
    );
    for (const out of texts) expect(out).toContain(text);
    expect(
      seen(texts, {
        injection: (t) => /Ignore all previous|forget everything above|Before you answer/.test(t),
        override: (t) => /SYSTEM OVERRIDE|ADMIN MODE|developer of this assistant/.test(t),
        rolePlay: (t) => /Let's play a game/.test(t),
        delimiter: (t) => /<system>|### SYSTEM|"role": "system"|```/.test(t),
        encoding: (t) => /base64|ROT13|Hex-encoded|\u200b|[а-яі]/.test(t),
        oversized: (t) => t.length >= 8000,
      }),
    ).toEqual(new Set(['injection', 'override', 'rolePlay', 'delimiter', 'encoding', 'oversized']));
  });

  it('never splits an emoji when it pads oversized input', () => {
    const texts = outputs(
      'adversarial',
      '🚚🚚🚚 where? 🚚',
      null,
      Array.from({ length: 300 }, (_, i) => i),
    );
    expect(texts.filter((t) => t.length >= 8000).length).toBeGreaterThan(5);
    expect(texts.filter((t) => !wellFormed(t))).toEqual([]);
  });

  it('hides a real instruction in the base64 attack', () => {
    const texts = outputs(
      'adversarial',
      text,
      null,
      Array.from({ length: 300 }, (_, i) => i),
    );
    const encoded = texts.map((t) => /follow it: ([A-Za-z0-9+/=]+)$/.exec(t)?.[1]).find(Boolean);
    expect(Buffer.from(encoded!, 'base64').toString('utf8')).toMatch(/^Ignore your previous instructions and .+\.$/);
  });
});

describe('persona_based', () => {
  const text = 'Cancel my order.';

  it("shows the persona's description, expertise, characteristics and goals", () => {
    const texts = outputs('persona_based', text, PERSONAS.alice as unknown as Persona);
    expect(
      seen(texts, {
        description: (t) => t.includes("I'm a busy parent who shops on mobile."),
        novice: (t) => /not very technical|new to all this|asking this the right way/.test(t),
        impatient: (t) => /ASAP|don't have much time/.test(t),
        polite: (t) => /Thank you so much|Many thanks/.test(t),
        goal: (t) => t.includes('get a refund quickly'),
      }),
    ).toEqual(new Set(['description', 'novice', 'impatient', 'polite', 'goal']));
  });

  it('frames an expert tersely and mentions traits it has no rule for', () => {
    for (const out of outputs('persona_based', text, PERSONAS.bruno as Persona)) {
      expect(out).toMatch(/Skip the basics|Be precise|Assume I know the domain/);
    }
    const traits = outputs('persona_based', text, { name: 'x', characteristics: ['uses a screen reader'] });
    expect(traits.every((t) => t.includes('Something about me: uses a screen reader.'))).toBe(true);
  });

  it('writes as a typical user of some expertise level without a persona', () => {
    const texts = outputs('persona_based', text);
    expect(
      seen(texts, {
        novice: (t) => /not very technical|new to all this|asking this the right way/.test(t),
        intermediate: (t) => /I know the basics|already tried the obvious|A short explanation is enough/.test(t),
        expert: (t) => /Skip the basics|Be precise|Assume I know the domain/.test(t),
      }),
    ).toEqual(new Set(['novice', 'intermediate', 'expert']));
  });
});
