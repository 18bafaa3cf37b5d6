import { describe, expect, it } from 'vitest';
import { classifyFailure, DEFAULT_RETRY, parseVariations, retryAfterMs, retryDelay } from '../../src/index.js';

describe('parseVariations', () => {
  it.each([
    ['a bare array', '["one", "two"]'],
    ['a fenced block with text around it', 'Sure!\n```json\n["one", "two"]\n```\nHope that helps.'],
    ['an unlabelled fence', '```\n["one","two"]\n```'],
    ['an array inside prose', 'Here: ["one", "two"] - enjoy'],
    ['an object holding the array', '{"variations": ["one", "two"]}'],
    ['objects with input fields', '[{"input": "one"}, {"text": "two"}]'],
    ['more than asked for', '["one", "two", "three"]'],
  ])('reads %s', (_name, answer) => {
    expect(parseVariations(answer, 2)).toEqual({ variations: ['one', 'two'] });
  });

  it.each([
    ['no array at all', 'I cannot help with that.', 'the answer holds no JSON array of strings'],
    ['too few variations', '["only one"]', 'expected 2 variations, the answer has 1'],
    ['empty strings only', '["", "  "]', 'the answer holds no JSON array of strings'],
    ['broken JSON', '["one", "two"', 'the answer holds no JSON array of strings'],
  ])('reports %s', (_name, answer, problem) => {
    expect(parseVariations(answer, 2)).toEqual({ problem });
  });
});

describe('retry decisions', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads Retry-After in seconds, as a date, and retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs({ 'Retry-After': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('retries 408, 409, 429, 5xx and connection failures, and nothing else', () => {
    const status = (s: number) => classifyFailure(Object.assign(new Error(`${s} nope`), { status: s })).retryable;
    expect([400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 529].map(status)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      false,
      true,
      true,
      true,
      true,
    ]);
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyFailure(refused)).toEqual({ retryable: true, reason: 'network error: ECONNREFUSED' });
    expect(classifyFailure(new Error('bad request body\nmore'))).toEqual({
      retryable: false,
      reason: 'bad request body',
    });
  });

  it('backs off exponentially with jitter up to the cap, and Retry-After wins', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    const fail = { retryable: true, reason: 'HTTP 500' };
    expect([0, 1, 2, 3, 4].map((r) => retryDelay(r, policy, fail, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([0, 1, 2, 3, 4].map((r) => retryDelay(r, policy, fail, () => 0.999))).toEqual([100, 200, 400, 800, 1000]);
    expect(retryDelay(3, policy, { ...fail, retryAfterMs: 7000 }, () => 0.5)).toBe(7000);
  });
});
