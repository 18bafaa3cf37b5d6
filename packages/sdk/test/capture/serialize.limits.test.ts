import { describe, expect, it } from 'vitest';
import { cutString } from '../../src/capture/markers.js';
import { Redactor } from '../../src/capture/redaction.js';
import { toJsonText } from '../../src/capture/serialize.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const KEY = `sk-${'A1b2C3d4'.repeat(6)}`;

describe('string leaf truncation', () => {
  it('keeps maxLength chars and a marker with the original length', () => {
    expect(JSON.parse(toJsonText('a'.repeat(50), { maxLength: 10 }))).toBe(`${'a'.repeat(10)}…[truncated: 50 chars]`);
    expect(JSON.parse(toJsonText('a'.repeat(10), { maxLength: 10 }))).toBe('a'.repeat(10));
    expect(JSON.parse(toJsonText('abc', { maxLength: 0 }))).toBe('…[truncated: 3 chars]');
  });

  it('cuts every leaf of a container the same way', () => {
    const out = JSON.parse(toJsonText({ a: 'x'.repeat(30), b: ['y'.repeat(30)] }, { maxLength: 10_000, maxDepth: 5 }));
    expect(out).toEqual({ a: 'x'.repeat(30), b: ['y'.repeat(30)] });
    const cut = JSON.parse(toJsonText({ a: 'x'.repeat(300), n: 1 }, { maxLength: 100 }));
    // 6 chars of `{"a":"`, 100 kept, the 23-char leaf marker and `","n":1}`.
    expect(cut).toBe(`{"a":"${'x'.repeat(94)}…[truncated: 137 chars of JSON]`);
  });

  it('never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(10);
    const out = JSON.parse(toJsonText(emoji, { maxLength: 5 }));
    expect(out).toBe(`${'😀'.repeat(2)}…[truncated: 20 chars]`);
    expect(LONE_SURROGATE.test(out)).toBe(false);
    for (let max = 0; max < 25; max++) {
      const text = JSON.parse(toJsonText(`a${emoji}`, { maxLength: max }));
      expect(LONE_SURROGATE.test(text), `maxLength ${max}`).toBe(false);
      const whole = JSON.parse(toJsonText([`a${emoji}`, 1], { maxLength: max }));
      if (typeof whole === 'string') expect(LONE_SURROGATE.test(whole), `whole, maxLength ${max}`).toBe(false);
    }
    expect(cutString('a😀', 2)).toBe('a');
    expect(cutString('a😀', 3)).toBe('a😀');
    // A lone high surrogate already in the input is not a pair to protect.
    expect(cutString('a\uD800b', 2)).toBe('a\uD800');
  });

  it('redacts before cutting, so a secret across the cut point is still masked whole', () => {
    const text = `${'a'.repeat(89)} ${KEY} and more text after it`;
    const out = JSON.parse(toJsonText(text, { maxLength: 100, redactor: new Redactor() }));
    expect(out).toBe(`${'a'.repeat(89)} [REDACTED:…[truncated: ${text.length} chars]`);
    expect(out).not.toContain('A1b2');
  });

  it('masks an unterminated private key that the cut would leave behind', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'.repeat(200)}\n-----END PRIVATE KEY-----`;
    const out = JSON.parse(toJsonText(`cfg ${pem}`, { maxLength: 200, redactor: new Redactor() }));
    expect(out).toBe(`cfg [REDACTED:private_key]…[truncated: ${pem.length + 4} chars]`);
  });
});

describe('whole-text truncation', () => {
  it('returns a JSON string of the first maxLength chars of the text and a marker', () => {
    const value = { list: Array.from({ length: 50 }, (_, i) => `item-${i}`) };
    const full = JSON.stringify(value);
    const text = toJsonText(value, { maxLength: 40 });
    const out = JSON.parse(text);
    expect(out).toBe(`${full.slice(0, 40)}…[truncated: ${full.length} chars of JSON]`);
  });

  it('applies on the fast paths too', () => {
    const out = JSON.parse(toJsonText(['abcdef', 'ghijkl'], { maxLength: 8 }));
    expect(out).toBe('["abcdef…[truncated: 19 chars of JSON]');
    const obj = JSON.parse(toJsonText({ a: 'abcdef', b: 1 }, { maxLength: 8 }));
    expect(obj).toBe('{"a":"ab…[truncated: 20 chars of JSON]');
  });

  it('leaves scalars to the leaf cut, whose JSON adds only quotes and escapes', () => {
    expect(toJsonText('abcdefghij', { maxLength: 10 })).toBe('"abcdefghij"');
    expect(toJsonText(1234567890123, { maxLength: 3 })).toBe('1234567890123');
  });

  it('stops walking huge values early and says the length is a lower bound', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, text: 'lorem ipsum '.repeat(200) }));
    const start = performance.now();
    const out = JSON.parse(toJsonText(rows, { maxLength: 1000 }));
    const elapsed = performance.now() - start;
    expect(out).toMatch(/^\[\{"id":0,"text":"lorem ipsum .*…\[truncated: over \d+ chars of JSON\]$/);
    expect(out.length).toBeLessThan(1100);
    // Generous: the full value is 2.4 MB of JSON, which the walk must not build.
    expect(elapsed).toBeLessThan(1000);
  });

  it('keeps the exact length for values under the walk budget', () => {
    const value = Array.from({ length: 100 }, (_, i) => ({ i, s: 'x'.repeat(20) }));
    const full = JSON.stringify(value);
    expect(JSON.parse(toJsonText(value, { maxLength: 100 }))).toBe(
      `${full.slice(0, 100)}…[truncated: ${full.length} chars of JSON]`,
    );
  });
});

describe('limit options', () => {
  it('treats a NaN maxLength as no limit and a negative one as zero', () => {
    expect(JSON.parse(toJsonText('abc', { maxLength: Number.NaN }))).toBe('abc');
    expect(JSON.parse(toJsonText('abc', { maxLength: -5 }))).toBe('…[truncated: 3 chars]');
    expect(JSON.parse(toJsonText('abc', { maxLength: Number.POSITIVE_INFINITY }))).toBe('abc');
  });
});
