import { describe, expect, it } from 'vitest';
import {
  BUILTIN_REDACTION_RULES,
  type KeyRedactionRule,
  keySegments,
  REDACTION_ERROR_RULE,
  Redactor,
  redactionMarker,
  type ValueRedactionRule,
} from '../../src/capture/redaction.js';
import { anchorIndex } from '../../src/capture/triggers.js';

const OPENAI = `sk-${'A1b2C3d4'.repeat(6)}`;
const ANTHROPIC = `sk-ant-api03-${'Qr7St6Uv'.repeat(11)}`;
const rule = (name: string) => BUILTIN_REDACTION_RULES.find((r) => r.name === name)!;

describe('Redactor', () => {
  it('uses the built-in rules by default', () => {
    expect(new Redactor().rules).toEqual(BUILTIN_REDACTION_RULES);
    expect(new Redactor().redactString(`key ${OPENAI}`)).toBe(`key ${redactionMarker('openai_api_key')}`);
  });

  it('returns the very same string when nothing matched', () => {
    const clean = 'A perfectly ordinary sentence: with a colon, a-hyphen, an_underscore and x=1.';
    expect(new Redactor().redactString(clean)).toBe(clean);
    expect(new Redactor().redactString('')).toBe('');
  });

  it('applies rules in table order, so the more specific rule claims a match first', () => {
    const text = `key=${ANTHROPIC}`;
    const builtins = new Redactor();
    expect(builtins.redactString(text)).toBe(`key=${redactionMarker('anthropic_api_key')}`);
    // With the broad OpenAI rule first, the Anthropic key is taken (and misnamed) by it.
    const reversed = new Redactor([rule('openai_api_key'), rule('anthropic_api_key')]);
    expect(reversed.redactString(text)).toBe(`key=${redactionMarker('openai_api_key')}`);
  });

  it('runs a broad rule after a specific one without masking the marker again', () => {
    const redactor = new Redactor();
    expect(redactor.redactString(`OPENAI_API_KEY=${OPENAI}`)).toBe(
      `OPENAI_API_KEY=${redactionMarker('openai_api_key')}`,
    );
    expect(redactor.redactString('Authorization: Bearer abc123def456')).toBe(
      `Authorization: Bearer ${redactionMarker('http_authorization')}`,
    );
  });

  it('extends the built-ins with user value and key rules, built-ins first', () => {
    const employeeId: ValueRedactionRule = {
      kind: 'value',
      name: 'employee_id',
      description: 'ACME employee ids',
      pattern: /\bEMP-\d{6}\b/g,
      triggers: ['EMP-'],
    };
    const ssnKey: KeyRedactionRule = {
      kind: 'key',
      name: 'ssn_field',
      description: 'social security numbers',
      matches: (key) => keySegments(key).includes('ssn'),
    };
    const redactor = Redactor.withExtraRules([employeeId, ssnKey]);
    expect(redactor.rules.slice(0, BUILTIN_REDACTION_RULES.length)).toEqual(BUILTIN_REDACTION_RULES);
    expect(redactor.redactString(`EMP-123456 used ${OPENAI}`)).toBe(
      `${redactionMarker('employee_id')} used ${redactionMarker('openai_api_key')}`,
    );
    expect(redactor.sensitiveKeyRule('customerSSN')).toBe('ssn_field');
    expect(redactor.sensitiveKeyRule('password')).toBe('password_field');
    expect(redactor.sensitiveKeyRule('EMP')).toBeUndefined();
  });

  it('supports replacement strings with group references and functions', () => {
    const byString = new Redactor([
      { kind: 'value', name: 'pin', description: 'pins', pattern: /(PIN )\d{4}/g, replacement: '$1****' },
    ]);
    expect(byString.redactString('PIN 1234 ok')).toBe('PIN **** ok');
    const byFunction = new Redactor([
      {
        kind: 'value',
        name: 'card',
        description: 'card numbers, last four kept',
        pattern: /\b\d{12}(\d{4})\b/g,
        replacement: (_m, last) => `************${last}`,
      },
    ]);
    expect(byFunction.redactString('card 4111111111111111.')).toBe('card ************1111.');
  });

  it('does not read $ in a rule name as a replacement pattern', () => {
    const redactor = new Redactor([{ kind: 'value', name: 'a$&b', description: 'odd name', pattern: /x/g }]);
    expect(redactor.redactString('x')).toBe('[REDACTED:a$&b]');
  });

  it('adds the g flag to a pattern that lacks it, so every occurrence is masked', () => {
    const redactor = new Redactor([{ kind: 'value', name: 'n', description: 'numbers', pattern: /\d+/ }]);
    expect(redactor.redactString('1 and 2')).toBe('[REDACTED:n] and [REDACTED:n]');
  });

  it('runs a pattern only when one of its triggers occurs', () => {
    // The pattern matches "zzz" but its only trigger never occurs there: triggers are a promise.
    const redactor = new Redactor([
      { kind: 'value', name: 'z', description: 'demo', pattern: /z+/g, triggers: ['ZZZ'] },
    ]);
    expect(redactor.redactString('zzz')).toBe('zzz');
    expect(redactor.redactString('ZZZ zzz')).toBe('ZZZ [REDACTED:z]');
  });

  it('tries a sticky pattern only where a trigger begins, with String#replace semantics', () => {
    const sticky: ValueRedactionRule = {
      kind: 'value',
      name: 'pin',
      description: 'PIN:1234 style, sticky on the colon',
      pattern: /:(?<=PIN:)(\d{4})/gy,
      replacement: ":<$1 hidden, $$ kept, after [$'] >",
      triggers: [':'],
    };
    const text = 'a: b PIN:1234 c PIN:99 PIN:5678';
    const scanning = { ...sticky, pattern: /:(?<=PIN:)(\d{4})/g };
    const expected = text.replace(scanning.pattern, sticky.replacement as string);
    expect(expected).not.toBe(text);
    expect(new Redactor([sticky]).redactString(text)).toBe(expected);
    // Many misses before the matches: the engine switches to one regex scan, with the same result.
    const long = `${'x: '.repeat(100)}${text}`;
    expect(new Redactor([sticky]).redactString(long)).toBe(
      long.replace(scanning.pattern, sticky.replacement as string),
    );
    // Without triggers there is nothing to anchor on, so the pattern is scanned for.
    expect(new Redactor([{ ...sticky, triggers: undefined }]).redactString(text)).toBe(expected);
  });

  it("passes groups, offset, input and named groups to a sticky rule's replacement function", () => {
    const calls: unknown[][] = [];
    const redactor = new Redactor([
      {
        kind: 'value',
        name: 'named',
        description: 'named groups',
        pattern: /=(?<value>\w+)/gy,
        replacement: (...args: unknown[]) => {
          calls.push(args);
          return '=***';
        },
        triggers: ['='],
      } as ValueRedactionRule,
    ]);
    expect(redactor.redactString('a=1 b=')).toBe('a=*** b=');
    expect(calls).toEqual([['=1', '1', 1, 'a=1 b=', { value: '1' }]]);
  });

  it('fails closed when a rule throws', () => {
    const redactor = new Redactor([
      {
        kind: 'value',
        name: 'broken',
        description: 'throws',
        pattern: /a/g,
        replacement: () => {
          throw new Error('bug');
        },
      },
    ]);
    expect(redactor.redactString('abc')).toBe(redactionMarker(REDACTION_ERROR_RULE));
    const brokenKey = new Redactor([
      {
        kind: 'key',
        name: 'broken_key',
        description: 'throws',
        matches: () => {
          throw new Error('bug');
        },
      },
    ]);
    expect(brokenKey.sensitiveKeyRule('anything')).toBe('broken_key');
  });

  it('stays linear on inputs built to defeat the prefilter and the patterns', () => {
    const redactor = new Redactor();
    const inputs = [
      'x'.repeat(100_000),
      'sk-'.repeat(30_000),
      'eyJ'.repeat(30_000),
      'b'.repeat(100_000),
      ':'.repeat(100_000),
      'a:'.repeat(50_000),
      '://u:'.repeat(20_000),
      'AAAA'.repeat(25_000),
      `-----BEGIN ${'A '.repeat(30_000)}`,
    ];
    for (const input of inputs) {
      const start = performance.now();
      redactor.redactString(input);
      // Quadratic behaviour on 100 KB takes minutes; linear takes milliseconds.
      expect(performance.now() - start, input.slice(0, 12)).toBeLessThan(2_000);
    }
  });
});

describe('key rules', () => {
  const redactor = new Redactor();

  it('splits keys into words across camelCase, acronyms, snake, kebab and dots', () => {
    expect(keySegments('openaiApiKey')).toEqual(['openai', 'api', 'key']);
    expect(keySegments('X-Api-Key')).toEqual(['x', 'api', 'key']);
    expect(keySegments('OPENAI_API_KEY')).toEqual(['openai', 'api', 'key']);
    expect(keySegments('HTTPAuthorization')).toEqual(['http', 'authorization']);
    expect(keySegments('APIKey')).toEqual(['api', 'key']);
    expect(keySegments('db.password')).toEqual(['db', 'password']);
    expect(keySegments('__proto__')).toEqual(['proto']);
    expect(keySegments('')).toEqual([]);
  });

  it.each([
    'author',
    'monkey',
    'keyboard',
    'token_count',
    'max_tokens',
    'input_tokens',
    'tokenizer',
    'passwordless_enabled',
    'secretary',
    'sessionId',
    'user_id',
    'model',
  ])('does not over-match %j', (key) => {
    expect(redactor.sensitiveKeyRule(key)).toBeUndefined();
  });

  it.each([
    ['password', 'password_field'],
    ['openaiApiKey', 'api_key_field'],
    ['X-Api-Key', 'api_key_field'],
    ['client_secret', 'secret_field'],
    ['accessToken', 'token_field'],
    ['Authorization', 'authorization_field'],
    ['Cookie', 'cookie_field'],
  ])('names the first rule that matches %j', (key, name) => {
    expect(redactor.sensitiveKeyRule(key)).toBe(name);
  });

  it('caches decisions but stays bounded', () => {
    let calls = 0;
    const counting = new Redactor([
      {
        kind: 'key',
        name: 'k',
        description: 'counts calls',
        matches: (key) => {
          calls++;
          return key === 'secret';
        },
      },
    ]);
    expect(counting.sensitiveKeyRule('secret')).toBe('k');
    expect(counting.sensitiveKeyRule('secret')).toBe('k');
    expect(counting.sensitiveKeyRule('other')).toBeUndefined();
    expect(counting.sensitiveKeyRule('other')).toBeUndefined();
    expect(calls).toBe(2);
    for (let i = 0; i < 10_000; i++) counting.sensitiveKeyRule(`id-${i}`);
    expect(counting.sensitiveKeyRule('secret')).toBe('k');
  });
});

describe('trigger anchors', () => {
  it('searches a trigger by its first character when that is uncommon, else by its rarest', () => {
    expect(anchorIndex('AKIA')).toBe(0);
    expect(anchorIndex('-----BEGIN')).toBe(0);
    expect(anchorIndex('sk-')).toBe(2);
    expect(anchorIndex('eyJ')).toBe(2);
    expect(anchorIndex('ghp_')).toBe(3);
    expect(anchorIndex('bearer')).toBe(0);
  });

  it('finds triggers in short strings, long strings and past misleading anchor hits', () => {
    const redactor = new Redactor([
      { kind: 'value', name: 'xo', description: 'demo', pattern: /xox-\d+/g, triggers: ['xox-'] },
    ]);
    expect(redactor.redactString('xox-1')).toBe('[REDACTED:xo]');
    expect(redactor.redactString(`${'x'.repeat(200)}xox-1`)).toBe(`${'x'.repeat(200)}[REDACTED:xo]`);
    expect(redactor.redactString(`${'word '.repeat(100)}xox-2 end`)).toBe(`${'word '.repeat(100)}[REDACTED:xo] end`);
    expect(redactor.redactString('é xox-3 ü')).toBe('é [REDACTED:xo] ü');
  });

  it('handles triggers anchored on a non-ASCII character', () => {
    const redactor = new Redactor([
      { kind: 'value', name: 'pw', description: 'German', pattern: /Passwört: \S+/g, triggers: ['ört'] },
    ]);
    expect(redactor.redactString('Passwört: geheim')).toBe('[REDACTED:pw]');
    expect(redactor.redactString(`${'lang '.repeat(20)}Passwört: geheim`)).toBe(`${'lang '.repeat(20)}[REDACTED:pw]`);
  });
});
