import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, deriveEntrySeed, planInputs, Rng, UserError } from '../../src/index.js';
import { loadInputConfig, PERSONAS } from './helpers/config.js';

const coordinates = (plan: ReturnType<typeof planInputs>) =>
  plan.steps.map((s) => [
    s.kind,
    s.baseIndex,
    s.persona,
    'strategy' in s ? s.strategy : null,
    'variation' in s ? s.variation : null,
  ]);

describe('seeds', () => {
  it('derives each entry seed from SHA-256 of its coordinates', () => {
    const expected = createHash('sha256')
      .update(JSON.stringify(['fluxloop/inputs/v1', 42, 1, 'alice', 'typo', 2]))
      .digest()
      .readUInt32BE(0);
    expect(deriveEntrySeed(42, 1, 'alice', 'typo', 2)).toBe(expected);
  });

  it('gives a different seed when any coordinate changes', () => {
    const variants = [
      deriveEntrySeed(42, 1, 'alice', 'typo', 2),
      deriveEntrySeed(43, 1, 'alice', 'typo', 2),
      deriveEntrySeed(42, 0, 'alice', 'typo', 2),
      deriveEntrySeed(42, 1, 'bob', 'typo', 2),
      deriveEntrySeed(42, 1, null, 'typo', 2),
      deriveEntrySeed(42, 1, 'alice', 'rephrase', 2),
      deriveEntrySeed(42, 1, 'alice', 'typo', 3),
    ];
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('Rng stays in range and spreads its picks', () => {
    const rng = new Rng(7);
    const ints = Array.from({ length: 2000 }, () => rng.int(1, 6));
    expect(new Set(ints)).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    expect(rng.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(rng.sample(['a', 'b', 'c', 'd'], 3)).size).toBe(3);
  });
});

describe('planInputs', () => {
  const config = () =>
    loadInputConfig({
      personas: [PERSONAS.alice, PERSONAS.bruno],
      base_inputs: [{ input: 'Reset my password' }, { input: 'Where is my order?', personas: ['bruno'] }],
      input_generation: { strategies: ['typo', 'casual'], variations_per_input: 2, include_base_inputs: true },
    });

  it('nests base inputs, personas (only those a base input names), strategies and variations', () => {
    const plan = planInputs(config());
    expect(coordinates(plan)).toEqual([
      ['base', 0, 'alice', null, null],
      ['transform', 0, 'alice', 'typo', 0],
      ['transform', 0, 'alice', 'typo', 1],
      ['transform', 0, 'alice', 'casual', 0],
      ['transform', 0, 'alice', 'casual', 1],
      ['base', 0, 'bruno', null, null],
      ['transform', 0, 'bruno', 'typo', 0],
      ['transform', 0, 'bruno', 'typo', 1],
      ['transform', 0, 'bruno', 'casual', 0],
      ['transform', 0, 'bruno', 'casual', 1],
      ['base', 1, 'bruno', null, null],
      ['transform', 1, 'bruno', 'typo', 0],
      ['transform', 1, 'bruno', 'typo', 1],
      ['transform', 1, 'bruno', 'casual', 0],
      ['transform', 1, 'bruno', 'casual', 1],
    ]);
    expect({ entries: plan.entries, requests: plan.requests, cut: plan.cutByLimit }).toEqual({
      entries: 15,
      requests: 0,
      cut: 0,
    });
  });

  it('uses persona null without personas, and the overrides over the config', () => {
    const plan = planInputs(loadInputConfig({ base_inputs: [{ input: 'hi' }] }), {
      strategies: ['formal'],
      variations: 3,
      seed: 7,
    });
    expect(coordinates(plan)).toEqual([0, 1, 2].map((v) => ['transform', 0, null, 'formal', v]));
    expect(plan.steps.map((s) => ('seed' in s ? s.seed : null))).toEqual(
      [0, 1, 2].map((v) => deriveEntrySeed(7, 0, null, 'formal', v)),
    );
  });

  it('stops at --limit and counts what it left out', () => {
    const plan = planInputs(config(), { limit: 4 });
    expect(coordinates(plan)).toEqual(coordinates(planInputs(config())).slice(0, 4));
    expect({ entries: plan.entries, cut: plan.cutByLimit, limit: plan.limit }).toEqual({
      entries: 4,
      cut: 11,
      limit: 4,
    });
  });

  it('plans one request per base input, persona and strategy in llm mode, the last one cut to the limit', () => {
    const plan = planInputs(config(), { mode: 'llm', limit: 6 });
    expect(plan.steps.map((s) => (s.kind === 'request' ? [s.strategy, s.persona, s.count] : [s.kind]))).toEqual([
      ['base'],
      ['typo', 'alice', 2],
      ['casual', 'alice', 2],
      ['base'],
    ]);
    const limited = planInputs(config(), { mode: 'llm', limit: 4 });
    const last = limited.steps.at(-1)!;
    expect(last.kind === 'request' && [last.count, last.prompt.user.includes('exactly 1 string')]).toEqual([1, true]);
    expect(plan.llm).toEqual({
      provider: 'openai',
      model: 'gpt-4o-mini',
      keyEnv: 'OPENAI_API_KEY',
      temperature: 0.8,
      maxTokens: 1024,
      concurrency: 4,
      maxRetries: 3,
      timeoutMs: 60_000,
    });
  });

  it('rejects bad overrides naming the allowed values', () => {
    expect(() => planInputs(config(), { mode: 'gpt' })).toThrow(/mode must be one of deterministic, llm, got "gpt"/);
    expect(() => planInputs(config(), { strategies: ['typo', 'typoo'] })).toThrow(
      /"typoo" is not a strategy; allowed: rephrase, verbose, concise, error_prone, typo/,
    );
    expect(() => planInputs(config(), { strategies: ['typo', 'typo'] })).toThrow(/"typo" is named twice/);
    expect(() => planInputs(config(), { variations: 0 })).toThrow(/variations must be an integer from 1 to 1000/);
    expect(() => planInputs(config(), { seed: -1 })).toThrow(UserError);
    expect(() => planInputs(config(), { limit: 1.5 })).toThrow(/limit must be an integer/);
  });

  it('reports an empty base_inputs and persona languages the rules cannot write', () => {
    const issues = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        if (err instanceof ConfigError) return err.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`);
      }
      return [];
    };
    expect(issues(() => planInputs(loadInputConfig({})))).toEqual([
      'configs/input.yaml: base_inputs: is empty: add the inputs to vary (each with input: "...")',
    ]);
    const japanese = loadInputConfig({
      personas: [{ name: 'yuki', language: 'ja' }],
      base_inputs: [{ input: 'hi' }],
      input_generation: { strategies: ['multilingual'] },
    });
    expect(issues(() => planInputs(japanese))).toEqual([
      'configs/input.yaml: personas[0].language: "ja": deterministic multilingual writes es, fr, de, pt, it ' +
        '(and picks one of them for English or no language); use mode llm for other languages',
    ]);
    expect(planInputs(japanese, { mode: 'llm' }).requests).toBe(1);
  });
});
