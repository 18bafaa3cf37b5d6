import fs from 'node:fs';
import path from 'node:path';
import { readInputsFile } from '@fluxloop/core';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { errorBody, type ProviderServer, startProviderServer } from '../../core/test/inputs/helpers/provider-server.js';
import { cleanup, runCli, tempDir } from './helpers/cli.js';

// FLUXLOOP_* variables are stripped from the children's environment, so this one is only set where a test sets it.
const KEY_ENV = 'FLUXLOOP_TEST_LLM_KEY';
const KEY = 'sk-cli-test-9f8e7d6c5b4a';
const servers: ProviderServer[] = [];

afterEach(async () => {
  cleanup();
  for (const s of servers.splice(0)) await s.close();
});

function project(input: object, files: Record<string, string> = {}): string {
  const root = tempDir('fluxloop-generate-');
  const all = { 'configs/project.yaml': 'name: demo\n', 'configs/input.yaml': stringify(input), ...files };
  for (const [file, content] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

const DETERMINISTIC = {
  personas: [{ name: 'alice', expertise_level: 'novice' }],
  base_inputs: [{ input: 'How do I reset my password?' }],
  input_generation: { strategies: ['rephrase', 'typo'], variations_per_input: 2 },
};

const generate = (root: string, args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['generate', 'inputs', ...args], { cwd: root, env, timeoutMs: 30_000 });

const generated = (root: string, file = 'inputs/generated.yaml') => fs.readFileSync(path.join(root, file), 'utf8');

async function llmProject(llm: object = {}, files: Record<string, string> = {}) {
  const server = await startProviderServer('openai');
  servers.push(server);
  const root = project(
    {
      base_inputs: [{ input: 'Where is my order #4512?' }],
      input_generation: {
        mode: 'llm',
        strategies: ['rephrase', 'casual'],
        variations_per_input: 2,
        llm: { provider: 'openai', base_url: server.baseUrl, api_key_env: KEY_ENV, ...llm },
      },
    },
    files,
  );
  return { server, root };
}

describe('fluxloop generate inputs (deterministic)', () => {
  it('writes inputs/generated.yaml, the same bytes on every run, and says what it wrote', async () => {
    const root = project(DETERMINISTIC);
    const first = await generate(root);
    expect(first).toMatchObject({
      code: 0,
      stdout: 'wrote 4 inputs to inputs/generated.yaml (by strategy: rephrase 2, typo 2)\n',
    });
    expect(first.stderr).toMatch(/generating 4 inputs \(deterministic, seed 42\)/);
    const text = generated(root);
    expect((await generate(root)).code).toBe(0);
    expect(generated(root)).toBe(text);
    const file = readInputsFile(path.join(root, 'inputs/generated.yaml'), 'inputs/generated.yaml');
    expect(file.inputs.map((e) => [e.strategy, e.persona, e.base_index, e.variation])).toEqual([
      ['rephrase', 'alice', 0, 0],
      ['rephrase', 'alice', 0, 1],
      ['typo', 'alice', 0, 0],
      ['typo', 'alice', 0, 1],
    ]);
  });

  it('lets flags override the config and --output choose the file', async () => {
    const root = project(DETERMINISTIC);
    const result = await generate(root, [
      '--seed',
      '7',
      '--strategies',
      'formal,casual',
      '--variations',
      '3',
      '--limit',
      '5',
      '--output',
      'out/x.yaml',
    ]);
    expect(result).toMatchObject({
      code: 0,
      stdout: 'wrote 5 inputs to out/x.yaml (by strategy: formal 3, casual 2)\n',
    });
    const file = readInputsFile(path.join(root, 'out/x.yaml'), 'out/x.yaml');
    expect(file.generator).toEqual({
      command: 'fluxloop generate inputs',
      mode: 'deterministic',
      strategies: ['formal', 'casual'],
      seed: 7,
      variations_per_input: 3,
      include_base_inputs: false,
      limit: 5,
    });
    expect(fs.existsSync(path.join(root, 'inputs/generated.yaml'))).toBe(false);
  });

  it.each([
    [['--mode', 'gpt'], "option '--mode <mode>' argument 'gpt' is invalid. Allowed choices are deterministic, llm."],
    [
      ['--strategies', 'typo,typoo'],
      '"typoo" is not a strategy; allowed: rephrase, verbose, concise, error_prone, typo, casual, formal, multilingual, adversarial, persona_based',
    ],
    [['--variations', '0'], "option '--variations <n>' argument '0' is invalid. expected an integer from 1 to 1000"],
    [['--seed', '-1'], "option '--seed <n>' argument '-1' is invalid. expected an integer from 0 to 4294967295"],
    [['--limit', 'ten'], "option '--limit <n>' argument 'ten' is invalid. expected an integer from 1 to 1000000000"],
  ])('rejects %j with exit code 2 and the allowed values', async (args, message) => {
    const root = project(DETERMINISTIC);
    const result = await generate(root, args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(fs.existsSync(path.join(root, 'inputs'))).toBe(false);
  });

  it('prints the plan with --dry-run and writes nothing', async () => {
    const root = project(DETERMINISTIC);
    const result = await generate(root, ['--dry-run']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        'dry run: deterministic mode, seed 42; nothing written',
        '  4 entries expected, before duplicates are dropped',
        '  strategies: rephrase, typo; 2 variations each',
        '  would write inputs/generated.yaml',
        '',
      ].join('\n'),
    );
    expect(fs.existsSync(path.join(root, 'inputs'))).toBe(false);
  });

  it('needs configs/input.yaml', async () => {
    const root = project({});
    fs.rmSync(path.join(root, 'configs/input.yaml'));
    const result = await generate(root);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/this command needs configs\/input\.yaml/);
  });
});

describe('fluxloop generate inputs (llm)', () => {
  it("uses the key from the project's .env, shows progress and never prints the key", async () => {
    const { server, root } = await llmProject({}, { '.env': `${KEY_ENV}=${KEY}\n` });
    const result = await generate(root);
    expect(result).toMatchObject({
      code: 0,
      stdout: 'wrote 4 inputs to inputs/generated.yaml (by strategy: rephrase 2, casual 2)\n',
    });
    expect(result.stderr).toMatch(/generating 4 inputs \(openai gpt-4o-mini, 2 requests, seed 42\)/);
    expect(result.stderr).toMatch(/request 2\/2 done/);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    for (const text of [result.stdout, result.stderr, generated(root)]) expect(text).not.toContain(KEY);
    expect(generated(root)).toMatch(/provider: openai\n {2}model: gpt-4o-mini/);
  });

  it('--dry-run makes no request and prints requests, abbreviated prompts and expected entries', async () => {
    const { server, root } = await llmProject();
    const result = await generate(root, ['--dry-run', '--limit', '3'], { [KEY_ENV]: KEY });
    expect(result.code).toBe(0);
    expect(server.requests).toEqual([]);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      `dry run: llm mode, openai gpt-4o-mini at ${server.baseUrl}, seed 42; no request made`,
      '  2 requests, 3 entries expected (--limit 3: 1 left out)',
      '  strategies: rephrase, casual; 2 variations per request',
      '  concurrency 4, max_retries 3, timeout 60s',
      `  API key: ${KEY_ENV} is set`,
      '  would write inputs/generated.yaml',
    ]);
    expect(lines).toContain('request 2/2: base_inputs[0] x no persona x strategy casual, 1 variation');
    expect(lines).toContain('  input: Where is my order #4512?');
    expect(lines.filter((l) => l.startsWith('  prompt ')).every((l) => l.length < 200 && l.endsWith('...'))).toBe(true);
    expect(result.stdout).not.toContain(KEY);
    expect(fs.existsSync(path.join(root, 'inputs'))).toBe(false);
  });

  it('fails before any request when the key is missing', async () => {
    const { server, root } = await llmProject();
    const result = await generate(root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`needs an API key: set ${KEY_ENV} in the environment or in the project's .env`);
    expect(server.requests).toEqual([]);
  });

  it('names the entry when the provider keeps failing, and leaves the old file alone', async () => {
    const server = await startProviderServer('openai', () => ({ status: 503, body: errorBody('openai', 503, 'down') }));
    servers.push(server);
    const root = project(
      {
        base_inputs: [{ input: 'hi there' }],
        input_generation: {
          mode: 'llm',
          strategies: ['formal'],
          llm: { provider: 'openai_compatible', base_url: server.baseUrl, model: 'local', max_retries: 0 },
        },
      },
      { 'inputs/generated.yaml': 'inputs:\n  - input: keep me\n' },
    );
    const result = await generate(root);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'fluxloop: llm request for base_inputs[0] x no persona x strategy formal failed after 1 attempt: HTTP 503: down',
    );
    expect(generated(root)).toBe('inputs:\n  - input: keep me\n');
  });
});
