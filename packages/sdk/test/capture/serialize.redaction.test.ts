import { describe, expect, it } from 'vitest';
import { Redactor, redactionMarker } from '../../src/capture/redaction.js';
import { toJsonText } from '../../src/capture/serialize.js';

const parsed = (value: unknown, options: Parameters<typeof toJsonText>[1]) => JSON.parse(toJsonText(value, options));

describe('toJsonText: redaction', () => {
  const redactor = new Redactor();
  const withRedactor = { maxLength: 10_000, redactor };
  const KEY = `sk-${'A1b2C3d4'.repeat(6)}`;

  it('redacts every string leaf, on fast and generic paths alike', () => {
    const expected = `use ${redactionMarker('openai_api_key')}`;
    expect(parsed(`use ${KEY}`, withRedactor)).toBe(expected);
    expect(parsed([`use ${KEY}`], withRedactor)).toEqual([expected]);
    expect(parsed({ note: `use ${KEY}` }, withRedactor)).toEqual({ note: expected });
    expect(parsed({ deep: [{ note: `use ${KEY}` }] }, withRedactor)).toEqual({ deep: [{ note: expected }] });
    expect(parsed(new Set([`use ${KEY}`]), withRedactor)).toEqual([expected]);
    expect(parsed(new Map([[1, `use ${KEY}`]]), withRedactor)).toEqual({ '[Map]': [[1, expected]] });
    expect(parsed(new Error(`use ${KEY}`), withRedactor).message).toBe(expected);
  });

  it('masks strings and numbers under sensitive keys, but not booleans or null', () => {
    const value = { password: 'hunter2', pin_password: 1234, passwordless_enabled: true, apiKey: null, user: 'bo' };
    expect(parsed(value, withRedactor)).toEqual({
      password: '[REDACTED:password_field]',
      pin_password: '[REDACTED:password_field]',
      passwordless_enabled: true,
      apiKey: null,
      user: 'bo',
    });
    expect(parsed({ wrapped: value }, withRedactor).wrapped).toEqual(parsed(value, withRedactor));
  });

  it('masks every leaf inside an object or array under a sensitive key', () => {
    const value = {
      credentials: { user: 'admin', port: 5432, tls: true, hosts: ['a', 'b'], extra: null, at: new Date(0) },
      max_tokens: 100,
    };
    const secret = '[REDACTED:secret_field]';
    expect(parsed(value, withRedactor)).toEqual({
      credentials: { user: secret, port: secret, tls: true, hosts: [secret, secret], extra: null, at: secret },
      max_tokens: 100,
    });
  });

  it('checks key rules on Map string keys and Error properties', () => {
    expect(parsed(new Map([['token', 'abc']]), withRedactor)).toEqual({ token: '[REDACTED:token_field]' });
    expect(
      parsed(
        new Map<unknown, unknown>([
          [1, 'x'],
          ['token', 'abc'],
        ]),
        withRedactor,
      ),
    ).toEqual({
      '[Map]': [
        [1, 'x'],
        ['token', '[REDACTED:token_field]'],
      ],
    });
    const error = Object.assign(new Error('failed'), {
      apiKey: 'abc',
      headers: { Authorization: 'Basic Zm9vOmJhcg==' },
    });
    const out = parsed(error, withRedactor);
    expect(out.apiKey).toBe('[REDACTED:api_key_field]');
    expect(out.headers).toEqual({ Authorization: '[REDACTED:authorization_field]' });
  });

  it('leaves everything as is without a redactor', () => {
    expect(parsed({ password: 'hunter2', note: KEY }, { maxLength: 1000 })).toEqual({ password: 'hunter2', note: KEY });
  });
});
