import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { SDK_VERSION } from '@fluxloop/sdk';
import { describe, expect, it } from 'vitest';
import {
  InitConflictError,
  initProject,
  loadProject,
  readInputEntries,
  SCHEMA_FILE_NAMES,
  UserError,
} from '../../src/index.js';
import { scaffold, snapshotTree, tempDir, WORKSPACE_ROOT, writeFiles } from './scaffold-helpers.js';

const CORE_ROOT = path.join(WORKSPACE_ROOT, 'packages/core');
const CORE_VERSION = (JSON.parse(fs.readFileSync(path.join(CORE_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

const SCAFFOLDED = [
  '.env',
  '.gitignore',
  'README.md',
  'agent.ts',
  'configs/evaluation.yaml',
  'configs/input.yaml',
  'configs/project.yaml',
  'configs/simulation.yaml',
  'package.json',
  'recordings/.gitkeep',
];
const YAML_FILES = SCAFFOLDED.filter((f) => f.endsWith('.yaml'));

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const sorted = <T extends { path: string }>(files: T[]) => [...files].sort((a, b) => (a.path < b.path ? -1 : 1));

describe('initProject: a new project', () => {
  it('writes every file, reports each as created, and package.json pins the SDK and the CLI', () => {
    const result = scaffold({ cliVersion: '9.8.7' });
    expect(sorted(result.files)).toEqual(SCAFFOLDED.map((p) => ({ path: p, action: 'created' })));
    expect(Object.keys(snapshotTree(result.root))).toEqual(SCAFFOLDED);
    expect(JSON.parse(read(result.root, 'package.json'))).toEqual({
      name: 'my-agent',
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: {
        generate: 'fluxloop generate inputs',
        experiment: 'fluxloop run experiment',
        doctor: 'fluxloop doctor',
        status: 'fluxloop status',
      },
      dependencies: { '@fluxloop/sdk': SDK_VERSION },
      devDependencies: { fluxloop: '9.8.7' },
    });
    expect(
      read(result.root, '.gitignore')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')),
    ).toEqual(['experiments/', 'traces/', '.env', 'node_modules/']);
    expect(read(result.root, 'README.md')).toMatch(/^# my-agent\n/);
  });

  it('the configs load with loadProject, with the schema defaults filled in', () => {
    const { root } = scaffold();
    const project = loadProject({ cwd: root, env: {} });
    expect(project.configs).toEqual({
      project: {
        name: 'my-agent',
        description: 'An example FluxLoop project with an offline shop assistant agent',
        capture: 'full',
      },
      input: {
        personas: [
          {
            name: 'first_time_buyer',
            description: 'Ordered from the shop for the first time and is unsure how things work',
            expertise_level: 'novice',
            characteristics: ['polite', 'asks for detail'],
          },
          {
            name: 'busy_professional',
            description: 'Wants a short answer now',
            expertise_level: 'expert',
            characteristics: ['terse', 'impatient'],
          },
          {
            name: 'frustrated_customer',
            description: 'Has been waiting for an order and is annoyed',
            expertise_level: 'intermediate',
            characteristics: ['upset', 'repeats the question'],
          },
        ],
        base_inputs: [
          { input: 'Where is my order A-1001?', expected: 'shipped' },
          { input: 'Has order A-1002 shipped yet?', expected: 'being packed' },
          { input: 'What is your return policy?', expected: '30 days' },
          {
            input: 'How long does shipping take?',
            expected: '3-5 business days',
            personas: ['first_time_buyer', 'busy_professional'],
          },
        ],
        input_generation: {
          mode: 'deterministic',
          strategies: ['rephrase', 'typo', 'casual'],
          variations_per_input: 1,
          seed: 42,
          include_base_inputs: true,
          llm: {
            provider: 'openai',
            temperature: 0.8,
            max_tokens: 1024,
            concurrency: 4,
            max_retries: 3,
            timeout_seconds: 60,
          },
        },
        inputs_file: 'inputs/generated.yaml',
      },
      simulation: {
        iterations: 1,
        concurrency: 4,
        timeout_seconds: 30,
        retries: 0,
        fail_on_run_errors: true,
        tags: [],
        metadata: {},
        output_directory: 'experiments',
        runner: { target: './agent.ts:run', pass_context: false, otlp_port: 0, quiet_period_ms: 300 },
        replay_args: { enabled: false, recording_file: 'recordings/args_recording.jsonl' },
      },
      evaluation: { evaluators: [] },
    });
    // Without generated inputs, each base input runs once per persona it applies to: 3 + 3 + 3 + 2.
    expect(readInputEntries(project)).toMatchObject({ source: { kind: 'base_inputs' } });
    expect(readInputEntries(project).entries).toHaveLength(11);
  });

  it('every YAML starts with a schema URL naming a schema that ships in @fluxloop/core, at its version', () => {
    const { root } = scaffold();
    const urls = YAML_FILES.map((file) => read(root, file).split('\n')[0]);
    expect(urls).toEqual(
      ['evaluation', 'input', 'project', 'simulation'].map(
        (name) =>
          `# yaml-language-server: $schema=https://unpkg.com/@fluxloop/core@${CORE_VERSION}/schemas/${name}.schema.json`,
      ),
    );
    for (const url of urls) {
      const file = url!.split('/schemas/')[1]!;
      expect(Object.values(SCHEMA_FILE_NAMES)).toContain(file);
      expect(fs.existsSync(path.join(CORE_ROOT, 'schemas', file))).toBe(true);
    }
  });

  it('every top-level key of every YAML has a comment above it', () => {
    const { root } = scaffold();
    const uncommented = YAML_FILES.flatMap((file) => {
      const lines = read(root, file).split('\n');
      return lines.flatMap((line, i) => {
        if (!/^[a-z_]+:/.test(line)) return [];
        const above = lines.slice(0, i).filter((l) => l.trim() !== '');
        return above.at(-1)?.startsWith('#') ? [] : [`${file}: ${line}`];
      });
    });
    expect(uncommented).toEqual([]);
    expect(read(root, 'configs/evaluation.yaml')).toMatch(/`evaluators: \[\]` is a placeholder/);
  });

  it('.env sets nothing and shows commented examples of the variables FluxLoop reads', () => {
    const { root } = scaffold();
    const env = read(root, '.env');
    expect(parseEnv(env)).toEqual({});
    const examples = env.split('\n').filter((l) => /^# [A-Z_]+=/.test(l));
    expect(examples).toEqual([
      '# OPENAI_API_KEY=sk-...',
      '# FLUXLOOP_RECORD_ARGS=false',
      '# FLUXLOOP_COLLECTOR_TOKEN=',
    ]);
  });
});

describe('initProject: existing files', () => {
  const userFiles = {
    'configs/project.yaml': 'name: theirs\n',
    'agent.ts': 'export const run = () => "theirs";\n',
    '.env': 'OPENAI_API_KEY=sk-theirs\n',
    'README.md': '# Their project\n',
    'package.json': '{ "name": "theirs", "dependencies": { "@fluxloop/sdk": "0.0.1" } }\n',
    '.gitignore': 'dist/\n.env\n',
  };

  it('refuses without force, naming every file it would overwrite, and writes nothing', () => {
    const root = tempDir();
    writeFiles(root, userFiles);
    const before = snapshotTree(root);
    let error: unknown;
    try {
      initProject({ dir: root, name: 'mine' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InitConflictError);
    expect((error as InitConflictError).files).toEqual(['configs/project.yaml', 'agent.ts']);
    expect((error as Error).message).toBe(
      `${root} already holds files that init would overwrite; nothing was written:\n` +
        '  configs/project.yaml\n  agent.ts\nMove them away, or run again with --force to overwrite them.',
    );
    expect(snapshotTree(root)).toEqual(before);
  });

  it('with force overwrites configs and agent.ts, keeps .env, README and package.json, and completes .gitignore', () => {
    const root = tempDir();
    writeFiles(root, userFiles);
    const result = initProject({ dir: root, name: 'mine', force: true });
    expect(sorted(result.files)).toEqual([
      { path: '.env', action: 'skipped', reason: 'exists; left as it is' },
      { path: '.gitignore', action: 'updated', reason: 'added experiments/, traces/, node_modules/' },
      { path: 'README.md', action: 'skipped', reason: 'exists; left as it is' },
      { path: 'agent.ts', action: 'overwritten' },
      { path: 'configs/evaluation.yaml', action: 'created' },
      { path: 'configs/input.yaml', action: 'created' },
      { path: 'configs/project.yaml', action: 'overwritten' },
      { path: 'configs/simulation.yaml', action: 'created' },
      { path: 'package.json', action: 'skipped', reason: 'exists; left as it is' },
      { path: 'recordings/.gitkeep', action: 'created' },
    ]);
    for (const kept of ['.env', 'README.md', 'package.json'])
      expect(read(root, kept)).toBe(userFiles[kept as 'README.md']);
    expect(read(root, '.gitignore')).toBe('dist/\n.env\n\n# FluxLoop\nexperiments/\ntraces/\nnode_modules/\n');
    expect(loadProject({ cwd: root, env: {} }).configs.project.name).toBe('mine');
    expect(read(root, 'agent.ts')).toContain('export const run = agent(');
  });

  it('a package.json without @fluxloop/sdk is kept, with a reason saying what to add', () => {
    const root = tempDir();
    writeFiles(root, { 'package.json': '{ "name": "theirs" }\n' });
    const entry = initProject({ dir: root, name: 'mine' }).files.find((f) => f.path === 'package.json');
    expect(entry).toEqual({
      path: 'package.json',
      action: 'skipped',
      reason: 'exists; left as it is: add @fluxloop/sdk to its dependencies (npm install @fluxloop/sdk)',
    });
  });

  it('a .gitignore that already lists everything is left as it is', () => {
    const root = tempDir();
    writeFiles(root, { '.gitignore': 'node_modules/\n.env\nexperiments/\ntraces/\n' });
    const entry = initProject({ dir: root, name: 'mine' }).files.find((f) => f.path === '.gitignore');
    expect(entry).toEqual({ path: '.gitignore', action: 'skipped', reason: 'already lists what FluxLoop needs' });
  });

  it('a folder where a file goes is an error, even with force, and nothing is written', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'agent.ts'));
    expect(() => initProject({ dir: root, name: 'mine', force: true })).toThrow(
      `cannot write agent.ts in ${root}: a folder (or something else) is in the way`,
    );
    expect(snapshotTree(root)).toEqual({});
  });

  it('a file where the project folder goes is an error', () => {
    const parent = tempDir();
    writeFiles(parent, { 'my-agent': 'a file' });
    expect(() => initProject({ dir: path.join(parent, 'my-agent'), name: 'my-agent' })).toThrow(
      `cannot create the project in ${path.join(parent, 'my-agent')}: it is a file, not a folder`,
    );
  });
});

describe('initProject: the name', () => {
  it('defaults to the folder name when none is given (init in the current directory)', () => {
    const root = path.join(tempDir(), 'support-bot');
    fs.mkdirSync(root);
    const result = initProject({ dir: root });
    expect(result.name).toBe('support-bot');
    expect(loadProject({ cwd: root, env: {} }).configs.project.name).toBe('support-bot');
    expect(JSON.parse(read(root, 'package.json')).name).toBe('support-bot');
  });

  it('quotes names YAML would read as something else (a number, a boolean)', () => {
    for (const name of ['123', 'true', '1e3']) {
      const { root } = scaffold({ name });
      expect(loadProject({ cwd: root, env: {} }).configs.project.name).toBe(name);
    }
  });

  const bad: [string, string][] = [
    ['', 'is empty'],
    ['My-Agent', 'has capital letters; npm package names are lowercase (try my-agent)'],
    ['my agent', 'contains " "; use lowercase letters, digits, -, . and _'],
    ['agent!', 'contains "!"; use lowercase letters, digits, -, . and _'],
    ['.hidden', 'must start with a letter or a digit'],
    ['_private', 'must start with a letter or a digit'],
    ['@scope/agent', 'is a path or a scoped name; use a plain folder name such as my-agent'],
    ['../up', 'is a path or a scoped name; use a plain folder name such as my-agent'],
    ['http', 'is reserved (a Node.js built-in module or an npm reserved name)'],
    ['node_modules', 'is reserved (a Node.js built-in module or an npm reserved name)'],
    ['con', 'is a device name Windows reserves'],
    ['a'.repeat(215), 'is 215 characters long; npm allows at most 214'],
  ];
  for (const [name, problem] of bad) {
    it(`rejects ${JSON.stringify(name.slice(0, 20))}: ${problem}`, () => {
      const parent = tempDir();
      expect(() => initProject({ dir: path.join(parent, 'x'), name })).toThrow(
        new UserError(
          `cannot use "${name}" as the project name: it ${problem} (a project name is a folder name and an npm package name)`,
        ),
      );
      expect(fs.readdirSync(parent)).toEqual([]);
    });
  }

  it('an invalid folder name without a name given says how to get a valid one', () => {
    const root = path.join(tempDir(), 'My Agent');
    fs.mkdirSync(root);
    expect(() => initProject({ dir: root })).toThrow(
      'cannot use this folder\'s name "My Agent" as the project name: it has capital letters; npm package names are ' +
        'lowercase (a project name is a folder name and an npm package name); rename the folder, or create a new one ' +
        'with fluxloop init project <name>',
    );
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
