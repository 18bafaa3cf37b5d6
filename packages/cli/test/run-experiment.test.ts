import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runCli, startCli } from './helpers/cli.js';
import { experimentDirs, jsonlLines, onlyExperiment, projectDir } from './run-helpers.js';

afterEach(cleanup);

const SUPPORT_AGENT = `
import { agent, event, generation, tool } from '@fluxloop/sdk';

const lookupOrder = tool(async function lookupOrder(id: string) {
  return { id, status: 'shipped' };
});

const callModel = generation(async function callModel(prompt: string) {
  return {
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'answer: ' + prompt }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 5 },
  };
});

export const run = agent(async function supportAgent(question: string): Promise<string> {
  const order = await lookupOrder('A-1001');
  event('order.found', { status: order.status });
  const reply = await callModel(question);
  return reply.choices[0]!.message.content;
});
`;

const TIMEOUT = { timeoutMs: 60_000 };

describe('fluxloop run experiment (built CLI, real projects)', () => {
  it('an ESM TypeScript agent with nested agent()/tool()/generation(): four valid artifacts that agree', async () => {
    const root = projectDir({
      type: 'module',
      inputs: ['Where is A-1001?', 'Cancel A-1001'],
      personas: ['novice', 'expert'],
      simulation: 'iterations: 2\nconcurrency: 3\nrunner:\n  target: ./src/agent.ts:run\n',
      files: { 'src/agent.ts': SUPPORT_AGENT },
    });
    const exit = await runCli(['run', 'experiment'], { cwd: root, ...TIMEOUT });
    expect(exit.stderr).toContain('✓ 8 runs: 8 succeeded, 0 failed (success rate 100.0%)');
    expect([exit.code, exit.stdout]).toEqual([ExitCode.ok, '']);
    const a = await onlyExperiment(root);
    const id = a.summary.experiment_id;
    const runs = a.traces.map((t) => [t.iteration, t.persona, t.input, t.experiment_id, t.name, t.status]).sort();
    const expected = [0, 1].flatMap((iteration) =>
      ['Cancel A-1001', 'Where is A-1001?'].flatMap((input) =>
        ['expert', 'novice'].map((persona) => [iteration, persona, input, id, 'e2e', 'success']),
      ),
    );
    expect(runs).toEqual(expected.sort());
    for (const t of a.traces) {
      expect([t.observation_count, t.token_usage, t.output]).toEqual([
        5,
        { input_tokens: 12, output_tokens: 5, total_tokens: 17 },
        `answer: ${t.input}`,
      ]);
      const types = a.observations.filter((o) => o.trace_id === t.trace_id).map((o) => o.type);
      expect(types.sort()).toEqual(['agent', 'event', 'generation', 'span', 'tool']);
    }
    expect(a.summary.results.token_usage).toEqual({ input_tokens: 96, output_tokens: 40, total_tokens: 136 });
  });

  it('a CommonJS project (no "type": "module") loads its TypeScript agent too', async () => {
    const root = projectDir({
      inputs: ['hi'],
      simulation: 'runner:\n  target: ./agent.ts:run\n',
      files: { 'agent.ts': SUPPORT_AGENT },
    });
    const exit = await runCli(['run', 'experiment'], { cwd: root, ...TIMEOUT });
    expect(exit.code).toBe(ExitCode.ok);
    const a = await onlyExperiment(root);
    expect(a.traces.map((t) => [t.output, t.observation_count])).toEqual([['answer: hi', 5]]);
  });

  it('a hanging agent times out without blocking the others, and the command still exits (1: a run failed)', async () => {
    const root = projectDir({
      type: 'module',
      inputs: ['a', 'hang', 'b', 'c'],
      simulation: 'concurrency: 2\nrunner:\n  target: ./agent.ts:run\n',
      files: {
        // The hanging run also keeps the event loop busy, as a stuck agent would.
        'agent.ts': `export async function run(input: string): Promise<string> {
          if (input === 'hang') { setInterval(() => {}, 1000); return new Promise(() => {}); }
          return 'ok ' + input;
        }`,
      },
    });
    const exit = await runCli(['run', 'experiment', '--timeout', '0.5'], { cwd: root, ...TIMEOUT });
    expect(exit.code).toBe(ExitCode.gateFailed);
    const a = await onlyExperiment(root);
    const runs = a.traceSummaries.map((s) => [s.input, s.success, s.error]).sort();
    expect(runs).toEqual([
      ['a', true, null],
      ['b', true, null],
      ['c', true, null],
      ['hang', false, 'TimeoutError: the run did not finish within 0.5 s (timeout_seconds)'],
    ]);
  });

  it('a throwing agent: exit 1 with the errors recorded; --no-fail-on-errors exits 0', async () => {
    const root = projectDir({
      type: 'module',
      inputs: ['fine', 'explode'],
      simulation: 'runner:\n  target: ./agent.ts:run\n',
      files: {
        'agent.ts': `import { agent } from '@fluxloop/sdk';
        export const run = agent(async function risky(input: string) {
          if (input === 'explode') throw new RangeError('the agent blew up');
          return 'done';
        });`,
      },
    });
    const failing = await runCli(['run', 'experiment'], { cwd: root, ...TIMEOUT });
    expect(failing.code).toBe(ExitCode.gateFailed);
    expect(failing.stderr).toContain('1 succeeded, 1 failed (success rate 50.0%)');
    const a = await onlyExperiment(root);
    expect(a.traceSummaries.map((s) => [s.input, s.error]).sort()).toEqual([
      ['explode', 'RangeError: the agent blew up'],
      ['fine', null],
    ]);
    expect(a.traces.filter((t) => t.status === 'error').map((t) => t.error)).toEqual(['RangeError: the agent blew up']);
    const lenient = await runCli(['run', 'experiment', '--no-fail-on-errors'], { cwd: root, ...TIMEOUT });
    expect(lenient.code).toBe(ExitCode.ok);
  });

  it('--json prints summary.json on stdout; flags override the config and land in its config', async () => {
    const root = projectDir({
      type: 'module',
      inputs: ['x'],
      simulation: 'runner:\n  target: ./agent.mjs:run\n',
      files: { 'agent.mjs': 'export const run = (input) => input.toUpperCase();\n' },
    });
    const args = ['run', 'experiment', '--json', '--iterations', '3', '--name', 'flags', '--output-dir', 'out'];
    const exit = await runCli(args, { cwd: root, ...TIMEOUT });
    expect(exit.code).toBe(ExitCode.ok);
    const [dir] = experimentDirs(root, 'out');
    const summary = JSON.parse(fs.readFileSync(path.join(dir!, 'summary.json'), 'utf8'));
    expect(JSON.parse(exit.stdout)).toEqual(summary);
    expect(summary).toMatchObject({ name: 'flags', config: { iterations: 3, name: 'flags' } });
    expect(summary.results.total_runs).toBe(3);
  });

  it('two experiments started at once get folders of their own', async () => {
    const root = projectDir({
      type: 'module',
      inputs: ['x', 'y'],
      simulation: 'runner:\n  target: ./agent.mjs:run\n',
      files: { 'agent.mjs': 'export const run = (input) => input;\n' },
    });
    const exits = await Promise.all([1, 2].map(() => runCli(['run', 'experiment'], { cwd: root, ...TIMEOUT })));
    expect(exits.map((e) => e.code)).toEqual([ExitCode.ok, ExitCode.ok]);
    const dirs = experimentDirs(root);
    expect(new Set(dirs).size).toBe(2);
    for (const dir of dirs) expect(jsonlLines(path.join(dir, 'traces.jsonl'))).toHaveLength(2);
  });

  it('a target that cannot load: exit 2 naming the path, and no experiment folder', async () => {
    const root = projectDir({
      type: 'module',
      inputs: ['x'],
      simulation: 'runner:\n  target: ./agnet.ts:run\n',
      files: { 'agent.ts': SUPPORT_AGENT },
    });
    const exit = await runCli(['run', 'experiment'], { cwd: root, ...TIMEOUT });
    expect(exit.code).toBe(ExitCode.usage);
    expect(exit.stderr).toContain(
      `runner.target: "./agnet.ts:run": module not found: ${fs.realpathSync(root)}/agnet.ts`,
    );
    expect(experimentDirs(root)).toEqual([]);
  });
});

describe('interrupting fluxloop run experiment', () => {
  const hangingProject = () =>
    projectDir({
      type: 'module',
      inputs: ['a', 'b', 'hang-1', 'hang-2', 'never-1', 'never-2'],
      simulation: 'concurrency: 2\nrunner:\n  target: ./agent.ts:run\n',
      files: {
        'agent.ts': `import { agent } from '@fluxloop/sdk';
        export const run = agent(async function maybeHang(input: string) {
          if (input.startsWith('hang')) return new Promise<string>(() => {});
          return 'done ' + input;
        });`,
      },
    });

  it('SIGINT: runs in flight recorded as interrupted, valid artifacts with status interrupted, exit 130', async () => {
    const root = hangingProject();
    const cli = startCli(['run', 'experiment', '--verbose'], { cwd: root });
    await cli.waitForStderr(/✓ i0-e1/, 30_000);
    cli.child.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(ExitCode.interrupted);
    expect(exit.stderr).toContain('Interrupted: no new runs; 2 in flight');
    const a = await onlyExperiment(root);
    expect(a.summary.status).toBe('interrupted');
    expect(a.traceSummaries.map((s) => [s.input, s.success, s.error]).sort()).toEqual([
      ['a', true, null],
      ['b', true, null],
      ['hang-1', false, 'Interrupted: the experiment was interrupted before the run finished'],
      ['hang-2', false, 'Interrupted: the experiment was interrupted before the run finished'],
    ]);
  });

  it('a second SIGINT exits at once (130); every line already written is whole', async () => {
    const root = hangingProject();
    const cli = startCli(['run', 'experiment', '--verbose'], { cwd: root });
    await cli.waitForStderr(/✓ i0-e1/, 30_000);
    cli.child.kill('SIGINT');
    await cli.waitForStderr(/Press Ctrl-C again/, 30_000);
    cli.child.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.code).toBe(ExitCode.interrupted);
    const [dir] = experimentDirs(root);
    for (const file of ['observations.jsonl', 'traces.jsonl', 'trace_summary.jsonl']) {
      expect(() => jsonlLines(path.join(dir!, file))).not.toThrow();
    }
  });
});
