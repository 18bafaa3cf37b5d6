import fs from 'node:fs';
import path from 'node:path';
import { SDK_VERSION } from '@fluxloop/sdk';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../init/scaffold-helpers.js';
import { check, doctor, healthyProject } from './doctor-helpers.js';

const CORE_VERSION = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('runDoctor: a healthy scaffolded project', () => {
  it('passes every check; llm and collector are skipped as not configured', async () => {
    const root = healthyProject();
    const report = await doctor(root, { cliVersion: CORE_VERSION, nodeVersion: '20.11.1' });
    expect(report).toEqual({
      ok: true,
      checks: [
        { name: 'node', status: 'ok', detail: 'Node.js 20.11.1' },
        {
          name: 'packages',
          status: 'ok',
          detail: `fluxloop ${CORE_VERSION}, @fluxloop/core ${CORE_VERSION}, @fluxloop/sdk ${SDK_VERSION}, @fluxloop/langchain ${CORE_VERSION}`,
        },
        { name: 'project', status: 'ok', detail: `my-agent at ${root}` },
        { name: 'project sdk', status: 'ok', detail: `@fluxloop/sdk ${SDK_VERSION} (node_modules/@fluxloop/sdk)` },
        { name: 'configs/project.yaml', status: 'ok', detail: 'valid' },
        { name: 'configs/input.yaml', status: 'ok', detail: 'valid' },
        { name: 'configs/simulation.yaml', status: 'ok', detail: 'valid' },
        { name: 'configs/evaluation.yaml', status: 'ok', detail: 'valid' },
        { name: 'inputs', status: 'ok', detail: '11 entries: base_inputs x personas (no generated inputs file yet)' },
        { name: 'target', status: 'ok', detail: './agent.ts:run is a function' },
        { name: 'replay', status: 'skip', detail: 'replay_args.enabled is false' },
        { name: 'llm provider', status: 'skip', detail: 'input_generation.mode is deterministic (no model needed)' },
        {
          name: 'collector',
          status: 'skip',
          detail: 'none configured (configs/project.yaml collector.url or FLUXLOOP_COLLECTOR_URL)',
        },
      ],
    });
  });

  it('finds the project by walking up, or from --project', async () => {
    const root = healthyProject({ 'src/deep/.keep': '' });
    const fromBelow = await doctor(path.join(root, 'src/deep'), { importTimeoutMs: 1 });
    expect(check(fromBelow, 'project').detail).toBe(`my-agent at ${root}`);
    const fromElsewhere = await doctor(tempDir(), { projectDir: root, importTimeoutMs: 1 });
    expect(check(fromElsewhere, 'project').detail).toBe(`my-agent at ${root}`);
  });

  it('reads generated inputs and warns when they are older than configs/input.yaml', async () => {
    const root = healthyProject({ 'inputs/generated.yaml': 'inputs:\n  - input: hi\n  - input: hello\n' });
    const fresh = await doctor(root, { importTimeoutMs: 1 });
    expect(check(fresh, 'inputs')).toEqual({
      name: 'inputs',
      status: 'ok',
      detail: '2 entries from inputs/generated.yaml',
    });
    const past = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.join(root, 'inputs/generated.yaml'), past, past);
    expect(check(await doctor(root, { importTimeoutMs: 1 }), 'inputs')).toEqual({
      name: 'inputs',
      status: 'warn',
      detail: '2 entries from inputs/generated.yaml, which is older than configs/input.yaml',
      hint: 'run fluxloop generate inputs again if the personas or base inputs changed',
    });
  });
});

describe('runDoctor: problems', () => {
  it('outside a project: the environment is still checked, the project is a failure, the rest skipped', async () => {
    const dir = tempDir();
    const report = await doctor(dir, { nodeVersion: '22.1.0' });
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.name, c.status, c.detail])).toEqual([
      ['node', 'ok', 'Node.js 22.1.0'],
      ['packages', 'ok', `@fluxloop/core ${CORE_VERSION}, @fluxloop/sdk ${SDK_VERSION}`],
      ['project', 'fail', expect.stringContaining(`no configs/project.yaml in ${dir} or any folder above it`)],
      ['project sdk', 'skip', 'no project'],
      ['configs/project.yaml', 'skip', 'no project'],
      ['configs/input.yaml', 'skip', 'no project'],
      ['configs/simulation.yaml', 'skip', 'no project'],
      ['configs/evaluation.yaml', 'skip', 'no project'],
      ['inputs', 'skip', 'no project'],
      ['target', 'skip', 'no project'],
      ['replay', 'skip', 'no project'],
      ['llm provider', 'skip', 'no project'],
      ['collector', 'skip', 'none configured (configs/project.yaml collector.url or FLUXLOOP_COLLECTOR_URL)'],
    ]);
    expect(check(report, 'project').hint).toBe(
      'create one with fluxloop init project <name>, or point at one with --project DIR',
    );
  });

  it('an old Node.js fails with what to install', async () => {
    const report = await doctor(tempDir(), { nodeVersion: 'v18.19.0' });
    expect(check(report, 'node')).toEqual({
      name: 'node',
      status: 'fail',
      detail: 'Node.js 18.19.0: FluxLoop needs 20 or newer',
      hint: 'install Node.js 20 or newer (nvm install 20, or https://nodejs.org)',
    });
  });

  it('a CLI of another version than core and the SDK is a warning', async () => {
    const report = await doctor(tempDir(), { cliVersion: '9.9.9' });
    expect(check(report, 'packages')).toEqual({
      name: 'packages',
      status: 'warn',
      detail: `fluxloop 9.9.9, @fluxloop/core ${CORE_VERSION}, @fluxloop/sdk ${SDK_VERSION}: versions differ`,
      hint: `FluxLoop packages are released together: install matching versions (fluxloop@${CORE_VERSION} @fluxloop/core@${CORE_VERSION} @fluxloop/sdk@${CORE_VERSION})`,
    });
  });

  it('a project that does not resolve @fluxloop/sdk, or another version of it, is a warning', async () => {
    const root = healthyProject();
    fs.rmSync(path.join(root, 'node_modules'), { recursive: true });
    expect(check(await doctor(root, { importTimeoutMs: 1 }), 'project sdk')).toMatchObject({
      status: 'warn',
      detail: `the project does not resolve @fluxloop/sdk (no node_modules/@fluxloop/sdk in ${root} or above)`,
    });
    writeFiles(root, { 'node_modules/@fluxloop/sdk/package.json': '{"name":"@fluxloop/sdk","version":"0.0.1"}' });
    expect(check(await doctor(root, { importTimeoutMs: 1 }), 'project sdk')).toEqual({
      name: 'project sdk',
      status: 'warn',
      detail: `the project has @fluxloop/sdk 0.0.1 (node_modules/@fluxloop/sdk); the CLI ships ${SDK_VERSION}`,
      hint: `npm install @fluxloop/sdk@${SDK_VERSION} in the project so its spans match what the CLI expects`,
    });
  });

  it('a broken config fails its own row with every issue; the valid configs are still checked', async () => {
    const root = healthyProject({
      'configs/input.yaml':
        'personas:\n  - name: a\ninput_generation:\n  mode: deterministic\n  strategies: [typoo]\nextra: 1\n',
    });
    const report = await doctor(root);
    expect(report.ok).toBe(false);
    expect(check(report, 'configs/input.yaml')).toEqual({
      name: 'configs/input.yaml',
      status: 'fail',
      detail:
        '2 problems: 5:16: input_generation.strategies[0]: "typoo" is not one of: rephrase, verbose, concise, ' +
        'error_prone, typo, casual, formal, multilingual, adversarial, persona_based; 6:1: extra: unknown key "extra"; ' +
        'allowed keys: personas, base_inputs, input_generation, inputs_file',
      hint: 'fix configs/input.yaml; the schema named on its first line lists the keys and values allowed',
    });
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['node', 'ok'],
      ['packages', 'ok'],
      ['project', 'ok'],
      ['project sdk', 'ok'],
      ['configs/project.yaml', 'ok'],
      ['configs/input.yaml', 'fail'],
      ['configs/simulation.yaml', 'ok'],
      ['configs/evaluation.yaml', 'ok'],
      ['inputs', 'skip'],
      ['target', 'ok'],
      ['replay', 'skip'],
      ['llm provider', 'skip'],
      ['collector', 'skip'],
    ]);
  });

  it('missing configs: input and simulation warn, evaluation is optional', async () => {
    const root = healthyProject();
    for (const file of ['input', 'simulation', 'evaluation']) fs.rmSync(path.join(root, `configs/${file}.yaml`));
    const report = await doctor(root);
    expect(report.checks.slice(4, 10)).toEqual([
      { name: 'configs/project.yaml', status: 'ok', detail: 'valid' },
      {
        name: 'configs/input.yaml',
        status: 'warn',
        detail: 'missing: experiments have no personas or base inputs',
        hint: 'fluxloop init project writes one (run it in an empty folder to see it)',
      },
      {
        name: 'configs/simulation.yaml',
        status: 'warn',
        detail: 'missing: fluxloop run experiment needs it (runner.target)',
        hint: 'fluxloop init project writes one (run it in an empty folder to see it)',
      },
      { name: 'configs/evaluation.yaml', status: 'skip', detail: 'not present (optional until evaluation is built)' },
      {
        name: 'inputs',
        status: 'fail',
        detail:
          'configs/input.yaml: base_inputs: no inputs: add base_inputs here, or generate inputs/generated.yaml with fluxloop generate inputs',
        hint: 'add base_inputs to configs/input.yaml, or run fluxloop generate inputs',
      },
      { name: 'target', status: 'skip', detail: 'configs/simulation.yaml is missing' },
    ]);
  });
});

describe('runDoctor: replay', () => {
  const simulation = (replay: string) =>
    `runner:\n  target: ./agent.ts:run\nreplay_args:\n${replay
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\n`;
  const line = (fn: string, kwargs: Record<string, unknown>) =>
    `${JSON.stringify({ function: fn, args: [], kwargs, timestamp: '2026-11-23T10:00:00.000Z' })}\n`;

  it.each([
    [
      'no recording file',
      'enabled: true\noverride_param_path: message',
      undefined,
      'fail',
      /args_recording\.jsonl does not exist/,
    ],
    [
      'no override_param_path',
      'enabled: true',
      line('run', { message: 'hi' }),
      'fail',
      /override_param_path is not set/,
    ],
    [
      'a path that does not resolve',
      'enabled: true\noverride_param_path: text',
      line('run', { message: 'hi' }),
      'fail',
      /"text" does not resolve in 1 of 1 recordings \(first: recordings\/args_recording\.jsonl:1\)/,
    ],
    [
      'no recording of the function',
      'enabled: true\noverride_param_path: message\nfunction: other',
      line('run', { message: 'hi' }),
      'fail',
      /no recording of "other" .*run \(1\)/,
    ],
    [
      'all good',
      'enabled: true\noverride_param_path: message',
      line('run', { message: 'hi' }) + line('run', { message: 'yo' }),
      'ok',
      /^2 recorded calls in recordings\/args_recording\.jsonl; override_param_path message resolves in each$/,
    ],
  ])('%s', async (_name, replay, recording, status, detail) => {
    const root = healthyProject({
      'configs/simulation.yaml': simulation(replay),
      ...(recording === undefined ? {} : { 'recordings/args_recording.jsonl': recording }),
    });
    const result = check(await doctor(root), 'replay');
    expect(result.status).toBe(status);
    expect(result.detail).toMatch(detail);
  });
});
