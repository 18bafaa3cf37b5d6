import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CORE_VERSION,
  type GenerationOverrides,
  generateDeterministic,
  type InputConfig,
  type InputEntry,
  planInputs,
  readInputsFile,
  renderInputsFile,
  STRATEGIES,
  writeInputsFile,
} from '../../src/index.js';
import { tempProject } from '../helpers/project.js';
import { loadInputConfig, PERSONAS } from './helpers/config.js';

const BASE_INPUTS = [
  { input: 'How do I reset my password?', expected: 'a reset link', metadata: { topic: 'account' } },
  { input: 'Cancel order #4512 because it arrived late.' },
  { input: 'Où est ma commande ? 🚚 «Zürich»\nZeile zwei: $& und $1' },
];

const projectInput = (personas: object[], generation: object = {}) =>
  loadInputConfig({
    personas,
    base_inputs: BASE_INPUTS,
    input_generation: { strategies: [...STRATEGIES], variations_per_input: 2, ...generation },
  });

const generate = (config: InputConfig, overrides: GenerationOverrides = {}) =>
  generateDeterministic(config, planInputs(config, overrides));

const fileText = (config: InputConfig, overrides: GenerationOverrides = {}) =>
  renderInputsFile(generate(config, overrides));

describe('deterministic generation', () => {
  it('gives the same file byte for byte from the same config and seed, loaded afresh', () => {
    const first = fileText(projectInput([PERSONAS.alice, PERSONAS.bruno]));
    const second = fileText(projectInput([PERSONAS.alice, PERSONAS.bruno]));
    expect(second).toBe(first);
    expect(fileText(projectInput([PERSONAS.alice, PERSONAS.bruno]), { seed: 43 })).not.toBe(first);
  });

  it('keeps every other entry when a persona is added', () => {
    const without = generate(projectInput([PERSONAS.alice, PERSONAS.bruno])).entries;
    const withChen = generate(projectInput([PERSONAS.alice, PERSONAS.chen, PERSONAS.bruno])).entries;
    expect(withChen.filter((e) => e.persona !== 'chen')).toEqual(without);
    expect(withChen.some((e) => e.persona === 'chen')).toBe(true);
  });

  it('keeps the entries of other strategies when a strategy is added', () => {
    const two = generate(projectInput([PERSONAS.alice], { strategies: ['typo', 'formal'] })).entries;
    const three = generate(projectInput([PERSONAS.alice], { strategies: ['typo', 'casual', 'formal'] })).entries;
    expect(three.filter((e) => e.strategy !== 'casual')).toEqual(two);
  });

  it('records provenance, expected and merged metadata on each entry in a fixed key order', () => {
    const { entries } = generate(projectInput([PERSONAS.alice], { strategies: ['typo'], include_base_inputs: true }));
    const [base, first] = entries as [InputEntry, InputEntry];
    expect(Object.keys(first)).toEqual([
      'input',
      'strategy',
      'persona',
      'base_index',
      'variation',
      'seed',
      'expected',
      'metadata',
    ]);
    expect({ ...base }).toEqual({
      input: 'How do I reset my password?',
      strategy: null,
      persona: 'alice',
      base_index: 0,
      variation: 0,
      seed: null,
      expected: 'a reset link',
      metadata: { segment: 'retail', topic: 'account' },
    });
    expect({ ...first, input: '<typo>', seed: 0 }).toEqual({ ...base, input: '<typo>', strategy: 'typo', seed: 0 });
    expect(entries.filter((e) => e.base_index === 1).map((e) => e.metadata)).toEqual([
      { segment: 'retail' },
      { segment: 'retail' },
      { segment: 'retail' },
    ]);
  });

  it('writes a file that validates and reads back exactly, whatever the text holds', () => {
    const root = tempProject();
    const file = path.join(root, 'inputs/generated.yaml');
    const result = generate(projectInput([PERSONAS.alice, PERSONAS.bruno]));
    writeInputsFile(file, renderInputsFile(result));
    expect(readInputsFile(file, 'inputs/generated.yaml').inputs).toEqual(result.entries);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['generated.yaml']);
  });

  it('round-trips text YAML would otherwise read as something else', () => {
    const odd = [
      '42',
      'null',
      'yes',
      '- dash',
      '# hash',
      'key: value',
      ' padded ',
      'tab\there',
      "'quoted'",
      '"dq"',
      'a\n\n  b  \n',
    ];
    const config = loadInputConfig({
      base_inputs: odd.map((input) => ({ input })),
      input_generation: { strategies: ['typo', 'casual'], include_base_inputs: true },
    });
    const root = tempProject();
    const file = path.join(root, 'odd.yaml');
    const result = generate(config);
    writeInputsFile(file, renderInputsFile(result));
    const back = readInputsFile(file, 'odd.yaml').inputs;
    expect(back).toEqual(result.entries);
    expect(back.filter((e) => e.strategy === null).map((e) => e.input)).toEqual(odd);
  });

  it('starts with the schema comment and a generator block without timestamps', () => {
    const text = fileText(projectInput([PERSONAS.alice], { strategies: ['typo', 'concise'] }), { limit: 3 });
    expect(text.split('\n').slice(0, 3)).toEqual([
      `# yaml-language-server: $schema=https://unpkg.com/@fluxloop/core@${CORE_VERSION}/schemas/generated-inputs.schema.json`,
      '# Generated by `fluxloop generate inputs` from configs/input.yaml (deterministic mode, seed 42: the same configs/input.yaml and seed give this file byte for byte).',
      '# Edit freely (experiments read the inputs as they are), or regenerate to start over.',
    ]);
    expect(parse(text).generator).toEqual({
      command: 'fluxloop generate inputs',
      mode: 'deterministic',
      strategies: ['typo', 'concise'],
      seed: 42,
      variations_per_input: 2,
      include_base_inputs: false,
      limit: 3,
    });
    expect(parse(text).inputs).toHaveLength(3);
  });

  it('names the schema of the installed @fluxloop/core version', () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(CORE_VERSION).toBe(pkg.version);
  });

  it('makes variations of one input differ, and drops and counts what still repeats', () => {
    const config = loadInputConfig({
      base_inputs: [{ input: 'Reset my password please' }, { input: 'ok' }],
      input_generation: { strategies: ['typo', 'concise'], variations_per_input: 5, include_base_inputs: true },
    });
    const result = generate(config);
    const typos = result.entries.filter((e) => e.strategy === 'typo' && e.base_index === 0).map((e) => e.input);
    expect(new Set(typos).size).toBe(5);
    const keys = result.entries.map((e) => JSON.stringify([e.persona, e.input]));
    expect(new Set(keys).size).toBe(keys.length);
    const planned = planInputs(config).entries;
    expect(result.entries.length + result.stats.duplicatesDropped).toBe(planned);
    expect(result.stats.duplicatesByStrategy.concise).toBeGreaterThan(0);
    expect(Object.values(result.stats.byStrategy).reduce((a, b) => a + b, 0)).toBe(result.entries.length);
  });
});
