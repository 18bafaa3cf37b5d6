import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadProject, ProjectNotFoundError, readInputEntries } from '../../src/index.js';
import { tempProject } from '../helpers/project.js';

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => ({ ...i }));
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('finding the project', () => {
  it('walks up from a nested folder to the folder with configs/project.yaml', () => {
    const root = tempProject({ 'configs/project.yaml': 'name: demo\n', 'src/deep/x.txt': '' });
    const project = loadProject({ cwd: path.join(root, 'src/deep'), env: {} });
    expect(project.root).toBe(root);
    expect(project.configs.project).toEqual({ name: 'demo', capture: 'full' });
  });

  it('--project wins over the walk and FLUXLOOP_PROJECT_DIR is used when there is no flag', () => {
    const a = tempProject({ 'configs/project.yaml': 'name: a\n' });
    const b = tempProject({ 'configs/project.yaml': 'name: b\n' });
    expect(loadProject({ cwd: a, projectDir: b, env: {} }).configs.project.name).toBe('b');
    expect(loadProject({ cwd: a, env: { FLUXLOOP_PROJECT_DIR: b } }).configs.project.name).toBe('b');
  });

  it('says where it looked when there is no project', () => {
    const dir = tempProject({ 'readme.txt': '' });
    expect(() => loadProject({ cwd: dir, env: {} })).toThrow(ProjectNotFoundError);
    expect(() => loadProject({ cwd: dir, env: {} })).toThrow(/fluxloop init project/);
    expect(() => loadProject({ cwd: dir, projectDir: '.', env: {} })).toThrow(/is not a FluxLoop project/);
  });
});

describe('validation', () => {
  it('fills in every default of the schemas', () => {
    const root = tempProject({
      'configs/project.yaml': 'name: demo\n',
      'configs/input.yaml': 'base_inputs:\n  - input: hi\n',
      'configs/simulation.yaml': 'runner:\n  target: ./agent.ts:run\n',
      'configs/evaluation.yaml': 'evaluators: []\n',
    });
    const { configs } = loadProject({ cwd: root, env: {} });
    expect(configs.input?.input_generation).toMatchObject({
      mode: 'deterministic',
      variations_per_input: 1,
      seed: 42,
      llm: { provider: 'openai', concurrency: 4, max_retries: 3 },
    });
    expect(configs.input?.inputs_file).toBe('inputs/generated.yaml');
    expect(configs.simulation).toMatchObject({
      iterations: 1,
      concurrency: 4,
      timeout_seconds: 60,
      retries: 0,
      fail_on_run_errors: true,
      output_directory: 'experiments',
      runner: { target: './agent.ts:run', otlp_port: 0, quiet_period_ms: 300, pass_context: false },
      replay_args: { enabled: false, recording_file: 'recordings/args_recording.jsonl' },
    });
    expect(configs.evaluation).toEqual({ evaluators: [] });
  });

  it('reports every problem of every file at once, with file, line, column, path and allowed values', () => {
    const root = tempProject({
      'configs/project.yaml': 'name: demo\ncolour: blue\n',
      'configs/input.yaml': [
        'input_generation:',
        '  mode: deterministic',
        '  strategies:',
        '    - rephrase',
        '    - typoo',
        '  variations_per_input: "3"',
        '',
      ].join('\n'),
      'configs/simulation.yaml': 'iterations: 0\nrunner:\n  target: ./a.ts\n  http:\n    url: http://x\n',
      'configs/evaluation.yaml': 'evaluators:\n  - name: x\n',
    });
    const issues = issuesOf(() => loadProject({ cwd: root, env: {} }));
    expect(issues).toEqual([
      {
        file: 'configs/project.yaml',
        line: 2,
        column: 1,
        path: 'colour',
        message: 'unknown key "colour"; allowed keys: name, description, capture, collector',
      },
      {
        file: 'configs/input.yaml',
        line: 5,
        column: 7,
        path: 'input_generation.strategies[1]',
        message:
          '"typoo" is not one of: rephrase, verbose, concise, error_prone, typo, casual, formal, multilingual, adversarial, persona_based',
      },
      {
        file: 'configs/input.yaml',
        line: 6,
        column: 25,
        path: 'input_generation.variations_per_input',
        message: 'expected an integer, got a string ("3")',
      },
      { file: 'configs/simulation.yaml', line: 1, column: 13, path: 'iterations', message: 'must be >= 1, got 0' },
      {
        file: 'configs/simulation.yaml',
        line: 3,
        column: 3,
        path: 'runner',
        message: 'has target and http: keep exactly one of target, http, process',
      },
      {
        file: 'configs/evaluation.yaml',
        line: 2,
        column: 3,
        path: 'evaluators',
        message:
          'must be empty (evaluators: []): evaluation is not built yet, so evaluators written here would be ignored',
      },
    ]);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    const root = tempProject({ 'configs/project.yaml': 'name: demo\nname: again\n' });
    expect(issuesOf(() => loadProject({ cwd: root, env: {} }))).toMatchObject([
      { file: 'configs/project.yaml', line: 2, column: 1, message: expect.stringMatching(/^YAML duplicate key/) },
    ]);
    const bad = tempProject({ 'configs/project.yaml': 'name: [unclosed\n' });
    expect(issuesOf(() => loadProject({ cwd: bad, env: {} }))[0]).toMatchObject({
      file: 'configs/project.yaml',
      message: expect.stringMatching(/^YAML syntax/),
    });
  });

  it('names the missing required value and the runner choices', () => {
    const root = tempProject({ 'configs/project.yaml': 'description: x\n', 'configs/simulation.yaml': 'runner: {}\n' });
    expect(issuesOf(() => loadProject({ cwd: root, env: {} })).map((i) => `${i.file}:${i.path}: ${i.message}`)).toEqual(
      [
        'configs/project.yaml:: missing required key "name"',
        'configs/simulation.yaml:runner: needs one of: target, http, process',
      ],
    );
  });

  it('explains patterns in words and checks cross-references', () => {
    const root = tempProject({
      'configs/project.yaml': 'name: demo\ncollector:\n  url: localhost:8000\n',
      'configs/input.yaml': [
        'personas:',
        '  - name: a',
        '  - name: a',
        'base_inputs:',
        '  - input: hi',
        '    personas: [b]',
        'input_generation:',
        '  llm: { provider: openai_compatible }',
        '',
      ].join('\n'),
      'configs/simulation.yaml': 'runner:\n  target: x\nreplay_args:\n  enabled: true\n',
    });
    expect(issuesOf(() => loadProject({ cwd: root, env: {} })).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'collector.url: "localhost:8000" must be an http:// or https:// URL',
      'personas[1].name: "a" is used by two personas: names must be unique',
      'base_inputs[0].personas[0]: "b" is not a persona; personas: a',
      'input_generation.llm: provider openai_compatible needs base_url',
      'input_generation.llm: provider openai_compatible needs model',
    ]);
    const secret = tempProject({
      'configs/project.yaml': 'name: demo\n',
      'configs/input.yaml': 'input_generation:\n  llm: { api_key_env: "sk-123" }\n',
    });
    expect(issuesOf(() => loadProject({ cwd: secret, env: {} }))[0]?.message).toBe(
      'the value must be an environment variable name (letters, digits and _, not starting with a digit) - the name, not the secret',
    );
  });

  it('need() names a missing file; an empty file is an empty mapping', () => {
    const root = tempProject({ 'configs/project.yaml': 'name: demo\n', 'configs/evaluation.yaml': '' });
    const project = loadProject({ cwd: root, env: {} });
    expect(project.configs.evaluation).toEqual({ evaluators: [] });
    expect(() => project.need('simulation')).toThrow(/configs\/simulation\.yaml: is missing/);
  });
});

describe('environment and paths', () => {
  it('loads .env under the real environment and never writes process.env', () => {
    const root = tempProject({ 'configs/project.yaml': 'name: demo\n', '.env': 'A=from-dotenv\nB=from-dotenv\n' });
    const project = loadProject({ cwd: root, env: { B: 'real' } });
    expect(project.env.vars.A).toBe('from-dotenv');
    expect(project.env.vars.B).toBe('real');
    expect(project.env.fromDotenv).toEqual(['A']);
    expect(process.env.A).toBeUndefined();
  });

  it('resolves relative paths against the project root, not the cwd', () => {
    const root = tempProject({ 'configs/project.yaml': 'name: demo\n', 'sub/x': '' });
    const project = loadProject({ cwd: path.join(root, 'sub'), env: {} });
    expect(project.resolve('inputs/generated.yaml')).toBe(path.join(root, 'inputs/generated.yaml'));
  });
});

describe('input entries', () => {
  it('uses base_inputs x personas when there is no generated file, honouring per-input personas', () => {
    const root = tempProject({
      'configs/project.yaml': 'name: demo\n',
      'configs/input.yaml': [
        'personas: [{ name: a }, { name: b }]',
        'base_inputs:',
        '  - input: one',
        '  - input: two',
        '    personas: [b]',
        '    expected: yes',
        '',
      ].join('\n'),
    });
    const { entries, source } = readInputEntries(loadProject({ cwd: root, env: {} }));
    expect(source).toEqual({ kind: 'base_inputs' });
    expect(entries.map((e) => [e.input, e.persona, e.base_index, e.expected])).toEqual([
      ['one', 'a', 0, undefined],
      ['one', 'b', 0, undefined],
      ['two', 'b', 1, 'yes'],
    ]);
  });

  it('reads the generated file when it exists and validates it with line numbers', () => {
    const root = tempProject({
      'configs/project.yaml': 'name: demo\n',
      'configs/input.yaml': 'inputs_file: data/in.yaml\n',
      'data/in.yaml': 'inputs:\n  - input: x\n    strategy: typo\n    persona: null\n    base_index: 0\n    seed: 7\n',
    });
    const project = loadProject({ cwd: root, env: {} });
    expect(readInputEntries(project).entries).toEqual([
      { input: 'x', strategy: 'typo', persona: null, base_index: 0, seed: 7 },
    ]);
    fs.writeFileSync(path.join(root, 'data/in.yaml'), 'inputs:\n  - input: x\n    strategyy: typo\n');
    expect(issuesOf(() => readInputEntries(project))[0]).toMatchObject({
      file: 'data/in.yaml',
      line: 3,
      path: 'inputs[0].strategyy',
    });
  });

  it('no inputs at all says how to get some', () => {
    const root = tempProject();
    expect(() => readInputEntries(loadProject({ cwd: root, env: {} }))).toThrow(/fluxloop generate inputs/);
  });
});

describe('secrets in messages', () => {
  it('never echoes a key pasted into the wrong place', () => {
    const key = `sk-proj-${'A1b2C3d4'.repeat(6)}`;
    const root = tempProject({ 'configs/project.yaml': `name: demo\ncapture: ${key}\n` });
    const [issue] = issuesOf(() => loadProject({ cwd: root, env: {} }));
    expect(issue?.path).toBe('capture');
    expect(issue?.message).not.toContain(key);
    expect(issue?.message).toMatch(/is not one of: full, redacted, none/);
  });
});
