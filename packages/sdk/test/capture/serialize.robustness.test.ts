import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/capture/redaction.js';
import { type SerializeOptions, toJsonText } from '../../src/capture/serialize.js';

const opts = { maxLength: 10_000, redactor: new Redactor() };
const parsed = (value: unknown, options: SerializeOptions = opts) => JSON.parse(toJsonText(value, options));

const throwingProxy = () =>
  new Proxy(
    {},
    {
      get: () => {
        throw new Error('get trap');
      },
      ownKeys: () => {
        throw new Error('ownKeys trap');
      },
      getPrototypeOf: () => {
        throw new Error('getPrototypeOf trap');
      },
      has: () => {
        throw new Error('has trap');
      },
    },
  );

describe('toJsonText never throws', () => {
  it('reports a throwing getter in place and keeps the other properties', () => {
    const value = {
      ok: 1,
      get bad(): never {
        throw new Error('getter boom');
      },
    };
    expect(parsed(value)).toEqual({ ok: 1, bad: '[Getter threw: Error: getter boom]' });
    expect(parsed([value])).toEqual([{ ok: 1, bad: '[Getter threw: Error: getter boom]' }]);
    class WithGetter {
      x = 1;
      constructor() {
        Object.defineProperty(this, 'y', {
          enumerable: true,
          get: () => {
            throw 'not even an Error';
          },
        });
      }
    }
    expect(parsed(new WithGetter())).toEqual({ x: 1, y: '[Getter threw: not even an Error]' });
  });

  it('reports a throwing toJSON in place', () => {
    const value = {
      toJSON() {
        throw new Error('toJSON boom');
      },
    };
    expect(parsed(value)).toBe('[toJSON threw: Error: toJSON boom]');
    expect(parsed({ a: value, b: 2 })).toEqual({ a: '[toJSON threw: Error: toJSON boom]', b: 2 });
  });

  it('survives a Proxy whose every trap throws', () => {
    const out = parsed(throwingProxy());
    expect(out).toMatch(/^\[Unserializable: Error: .* trap\]$/);
    expect(parsed({ a: throwingProxy(), b: [throwingProxy()], c: 'kept' }).c).toBe('kept');
    expect(() => JSON.parse(toJsonText([throwingProxy()], { maxLength: 100 }))).not.toThrow();
  });

  it('survives a revoked Proxy, a throwing Map iterator and an error with a throwing message', () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    expect(parsed(proxy)).toMatch(/^\[Unserializable: TypeError: /);
    class BadMap extends Map<unknown, unknown> {
      override [Symbol.iterator](): MapIterator<[unknown, unknown]> {
        throw new Error('no iteration');
      }
    }
    expect(parsed({ m: new BadMap([[1, 2]]) }).m).toBe('[Unserializable: Error: no iteration]');
    const error = new Error('x');
    Object.defineProperty(error, 'message', {
      get: () => {
        throw new Error('message getter');
      },
    });
    expect(parsed(error).message).toBe('[Getter threw: Error: message getter]');
  });

  it('survives nesting deeper than the stack with an unbounded maxDepth', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const text = toJsonText(deep, { maxLength: 1_000, maxDepth: Number.POSITIVE_INFINITY });
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it('falls back to a description of the failure and reports it through onError', () => {
    const hostile = {
      redactString: () => {
        throw new Error('hostile redactor');
      },
      sensitiveKeyRule: () => undefined,
    } as unknown as Redactor;
    const errors: unknown[] = [];
    const text = toJsonText('abc', { maxLength: 100, redactor: hostile, onError: (e) => errors.push(e) });
    expect(JSON.parse(text)).toBe('[Unserializable]');
    expect(errors).toHaveLength(1);
    const throwingHook = () => {
      throw new Error('hook');
    };
    expect(JSON.parse(toJsonText(['x'], { maxLength: 100, redactor: hostile, onError: throwingHook }))).toMatch(
      /^\[Unserializable/,
    );
  });

  it('survives a redactor whose rules throw, failing closed', () => {
    const broken = new Redactor([
      {
        kind: 'value',
        name: 'broken',
        description: 'always throws',
        pattern: /./g,
        replacement: () => {
          throw new Error('rule bug');
        },
      },
    ]);
    expect(parsed({ a: 'secret text', n: 1 }, { maxLength: 100, redactor: broken })).toEqual({
      a: '[REDACTED:redaction_error]',
      n: 1,
    });
  });
});

/** mulberry32: a small seeded PRNG, so a failing case can be reproduced from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECRET_BODY = 'Zq9Xw8Vu7Ts6Rp5';
const AWS_BODY = 'ZQ9XW8VU7TS6RP5X';
const SECRETS = [`sk-${SECRET_BODY}${SECRET_BODY}`, `ghp_${SECRET_BODY}${SECRET_BODY}abcdef`, `AKIA${AWS_BODY}`];
const KEYS = ['a', 'name', 'password', 'max_tokens', 'api_key', 'author', '__proto__', 'toJSON', '', 'é', 'a.b'];
const STRINGS = [
  '',
  'plain',
  'emoji 😀😀',
  'quote"\\',
  'ctl\u0000\u001f\n',
  'lone \uD800 half',
  'ü'.repeat(40),
  'xxxx',
];

function randomValue(rand: () => number, depth: number, pool: object[]): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const r = rand();
  if (depth > 4 || r < 0.45) {
    switch (Math.floor(rand() * 12)) {
      case 0:
        return pick(STRINGS) + (rand() < 0.3 ? ` ${pick(SECRETS)} ` : '') + 'word '.repeat(Math.floor(rand() * 30));
      case 1:
        return pick([0, -0, 1.5, -42, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 1e-7]);
      case 2:
        return rand() < 0.5;
      case 3:
        return pick([null, undefined]);
      case 4:
        return BigInt(Math.floor(rand() * 1e9));
      case 5:
        return Symbol(pick(STRINGS));
      case 6:
        return pick([() => 1, function named() {}, class K {}]);
      case 7:
        return new Date(rand() < 0.8 ? Math.floor(rand() * 2e12) : Number.NaN);
      case 8:
        return new Uint8Array(Math.floor(rand() * 100));
      case 9:
        return pool.length > 0 ? pick(pool) : 'no cycle yet';
      case 10:
        return new Error(pick(SECRETS), { cause: rand() < 0.5 ? 'c' : undefined });
      default:
        return pick(SECRETS);
    }
  }
  const size = Math.floor(rand() * 6);
  const kind = Math.floor(rand() * 4);
  if (kind === 0) {
    const list: unknown[] = [];
    pool.push(list);
    for (let i = 0; i < size; i++) list.push(randomValue(rand, depth + 1, pool));
    return list;
  }
  if (kind === 1) {
    const map = new Map<unknown, unknown>();
    pool.push(map);
    for (let i = 0; i < size; i++) map.set(rand() < 0.8 ? pick(KEYS) : i, randomValue(rand, depth + 1, pool));
    return map;
  }
  if (kind === 2) return new Set(Array.from({ length: size }, () => randomValue(rand, depth + 1, pool)));
  const object: Record<string, unknown> = {};
  pool.push(object);
  for (let i = 0; i < size; i++) {
    const key = pick(KEYS);
    const value = randomValue(rand, depth + 1, pool);
    if (rand() < 0.05) {
      Object.defineProperty(object, key, {
        enumerable: true,
        configurable: true,
        get: () => {
          throw new Error('fuzz getter');
        },
      });
    } else {
      Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
    }
  }
  return object;
}

describe('toJsonText on random values', () => {
  it('always returns parseable JSON that leaks none of the planted secrets', () => {
    const redactor = new Redactor();
    for (let seed = 1; seed <= 400; seed++) {
      const rand = prng(seed);
      const value = randomValue(rand, 0, []);
      const options: SerializeOptions = {
        maxLength: [0, 8, 64, 1_000, 100_000][seed % 5]!,
        maxDepth: [0, 1, 3, 12][seed % 4],
        maxItems: [0, 2, 1_000][seed % 3],
        redactor: seed % 7 === 0 ? undefined : redactor,
      };
      let text = '';
      expect(() => {
        text = toJsonText(value, options);
      }, `seed ${seed}`).not.toThrow();
      expect(typeof text).toBe('string');
      expect(() => JSON.parse(text), `seed ${seed}: ${text.slice(0, 200)}`).not.toThrow();
      if (options.redactor) {
        expect(text, `seed ${seed}`).not.toContain(SECRET_BODY);
        expect(text, `seed ${seed}`).not.toContain(AWS_BODY);
      }
    }
  });
});
