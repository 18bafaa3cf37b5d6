import { describe, expect, it } from 'vitest';
import { ConfigError, loadModuleTarget, loadProject, type RunContext, UserError } from '../../src/index.js';
import { tempProject } from '../helpers/project.js';

/** A project whose runner.target (and friends) are `runner`, holding `files`. */
function projectWith(runner: string, files: Record<string, string>) {
  const root = tempProject({
    'configs/project.yaml': 'name: demo\n',
    'configs/simulation.yaml': `runner:\n${runner
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\n`,
    ...files,
  });
  const project = loadProject({ cwd: root, env: {} });
  return { root, project, runner: project.need('simulation').runner };
}

function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    runId: 'i0-e0',
    experimentId: 'exp-1',
    iteration: 0,
    entryIndex: 0,
    entry: { input: 'hello', persona: 'novice', strategy: 'typo', metadata: { topic: 'orders' } },
    persona: 'novice',
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    signal: new AbortController().signal,
    ...overrides,
  };
}

async function invoke(runner: string, files: Record<string, string>, input: unknown = 'hello') {
  const { project, runner: config } = projectWith(runner, files);
  const target = await loadModuleTarget(project, config);
  try {
    return { target, output: await target.invoke(input, runContext()) };
  } finally {
    await target.close();
  }
}

async function loadError(runner: string, files: Record<string, string>): Promise<UserError> {
  const { project, runner: config } = projectWith(runner, files);
  const err = await loadModuleTarget(project, config).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof UserError)) throw new Error(`expected a UserError, got ${String(err)}`);
  return err;
}

const AGENT_TS = `
export async function run(input: string): Promise<string> { return 'run:' + input; }
export const notAFunction = 42;
export default function main(input: string): string { return 'default:' + input; }
export class Agent {
  private prefix = 'agent';
  handle(input: string): string { return this.prefix + ':' + input; }
  other(): void {}
}
export async function makeAgent(): Promise<Agent> { const a = new Agent(); (a as any).prefix = 'made'; return a; }
export function makeAgentSync(): Agent { const a = new Agent(); (a as any).prefix = 'sync'; return a; }
export function brokenFactory(): Agent { throw new Error('no database'); }
export function withContext(input: string, context: unknown) { return { input, context }; }
`;

describe('module targets: the spec forms', () => {
  const forms: [string, string, string][] = [
    ['a named export', 'target: ./agent.ts:run', 'run:hello'],
    ['the default export', 'target: ./agent.ts', 'default:hello'],
    ['Class.method on new Class()', 'target: ./agent.ts:Agent.handle', 'agent:hello'],
    ['Class.method on an async factory', 'target: ./agent.ts:Agent.handle\nfactory: makeAgent', 'made:hello'],
    ['Class.method on a sync factory', 'target: ./agent.ts:Agent.handle\nfactory: makeAgentSync', 'sync:hello'],
    ['the path without an extension', 'target: ./agent:run', 'run:hello'],
    ['a .js path naming a .ts file', 'target: ./agent.js:run', 'run:hello'],
  ];
  for (const [what, runner, expected] of forms) {
    it(`${what}: ${runner.replace('\n', ', ')}`, async () => {
      const { target, output } = await invoke(runner, { 'agent.ts': AGENT_TS });
      expect(output).toBe(expected);
      expect({ kind: target.kind, description: target.description, remoteSpans: target.remoteSpans }).toEqual({
        kind: 'module',
        description: runner.split('\n')[0]!.replace('target: ', ''),
        remoteSpans: false,
      });
    });
  }

  it('resolves the module against the project root, not the working directory', async () => {
    const { output } = await invoke('target: ./src/agents/support.mjs:run', {
      'src/agents/support.mjs': 'export const run = (input) => "support:" + input;\n',
    });
    expect(output).toBe('support:hello');
  });

  it('a CommonJS module (module.exports = { run })', async () => {
    const { output } = await invoke('target: ./agent.cjs:run', {
      'agent.cjs': 'module.exports = { run: (input) => "cjs:" + input };\n',
    });
    expect(output).toBe('cjs:hello');
  });

  it('a package installed in the project (bare specifier)', async () => {
    const { output } = await invoke('target: my-agent:run', {
      'node_modules/my-agent/package.json': '{"name":"my-agent","main":"main.cjs"}',
      'node_modules/my-agent/main.cjs': 'exports.run = (input) => "pkg:" + input;\n',
    });
    expect(output).toBe('pkg:hello');
  });

  it('pass_context: fn(input, context) with the run fields', async () => {
    const { output } = await invoke('target: ./agent.ts:withContext\npass_context: true', { 'agent.ts': AGENT_TS });
    const ctx = runContext();
    expect(output).toEqual({
      input: 'hello',
      context: {
        experimentId: 'exp-1',
        runId: 'i0-e0',
        iteration: 0,
        persona: 'novice',
        entry: ctx.entry,
        metadata: { topic: 'orders' },
        signal: expect.any(AbortSignal),
        traceparent: ctx.traceparent,
      },
    });
  });

  it('without pass_context the function gets the input only', async () => {
    const { output } = await invoke('target: ./agent.ts:withContext', { 'agent.ts': AGENT_TS });
    expect(output).toEqual({ input: 'hello' });
  });

  it('a throw inside the target rejects invoke() with that error', async () => {
    const { project, runner } = projectWith('target: ./a.mjs:run', {
      'a.mjs': 'export function run() { throw new RangeError("bad input"); }\n',
    });
    const target = await loadModuleTarget(project, runner);
    await expect(target.invoke('x', runContext())).rejects.toThrow(new RangeError('bad input'));
    await target.close();
  });
});

describe('module targets: errors name what to change', () => {
  it('module not found: the path resolved from the project root', async () => {
    const err = await loadError('target: ./agnt.ts:run', { 'agent.ts': AGENT_TS });
    expect(err).toBeInstanceOf(ConfigError);
    const root = (err as ConfigError).issues[0]!.message.match(/project root (\S+)\)/)?.[1];
    expect((err as ConfigError).issues).toEqual([
      {
        file: 'configs/simulation.yaml',
        path: 'runner.target',
        message: `"./agnt.ts:run": module not found: ${root}/agnt.ts (the module path resolves against the project root ${root})`,
      },
    ]);
  });

  it('a package that is not installed', async () => {
    const err = await loadError('target: not-installed-agent:run', {});
    expect(err.message).toContain('package not-installed-agent cannot be resolved from the project root');
    expect(err.message).toContain('is it installed there?');
  });

  it('export missing: lists the exports that exist', async () => {
    const err = await loadError('target: ./agent.ts:rnu', { 'agent.ts': AGENT_TS });
    expect(err.message).toBe(
      'agent.ts has no export "rnu"; its exports: Agent, brokenFactory, default, makeAgent, makeAgentSync, ' +
        'notAFunction, run, withContext',
    );
  });

  it('no default export', async () => {
    const err = await loadError('target: ./a.mjs', { 'a.mjs': 'export const run = () => 1;\n' });
    expect(err.message).toBe('a.mjs has no default export; its exports: run');
  });

  it('not a function', async () => {
    const err = await loadError('target: ./agent.ts:notAFunction', { 'agent.ts': AGENT_TS });
    expect(err.message).toBe('export "notAFunction" of agent.ts is a number, not a function');
  });

  it('class without the method: lists its methods', async () => {
    const err = await loadError('target: ./agent.ts:Agent.answer', { 'agent.ts': AGENT_TS });
    expect(err.message).toBe('an instance of Agent has no method answer(); its methods: handle, other');
  });

  it('factory failing: its message', async () => {
    const err = await loadError('target: ./agent.ts:Agent.handle\nfactory: brokenFactory', { 'agent.ts': AGENT_TS });
    expect(err.message).toBe('runner.factory "brokenFactory" of agent.ts failed: no database');
  });

  it('factory missing: lists the exports', async () => {
    const err = await loadError('target: ./agent.ts:Agent.handle\nfactory: makeAgnet', { 'agent.ts': AGENT_TS });
    expect(err.message).toMatch(/^agent\.ts has no export "makeAgnet"; its exports: Agent, /);
  });

  it('a factory for a plain function target is a config error, not ignored', async () => {
    const err = await loadError('target: ./agent.ts:run\nfactory: makeAgent', { 'agent.ts': AGENT_TS });
    expect((err as ConfigError).issues.map((i) => i.path)).toEqual(['runner.factory']);
    expect(err.message).toContain('only applies to a Class.method target');
  });

  it('a constructor that throws: says how to use a factory instead', async () => {
    const err = await loadError('target: ./a.mjs:Needy.run', {
      'a.mjs': 'export class Needy { constructor(x) { if (!x) throw new Error("x is required"); } run() {} }\n',
    });
    expect(err.message).toBe(
      'new Needy() of a.mjs failed: x is required (export a factory function and name it in runner.factory if ' +
        'the class needs arguments)',
    );
  });

  it('a module that throws while loading: its message and where', async () => {
    const err = await loadError('target: ./boom.mjs:run', {
      'boom.mjs': 'export const run = () => 1;\nthrow new Error("missing OPENAI_API_KEY");\n',
    });
    expect(err.message).toMatch(/^could not load boom\.mjs: missing OPENAI_API_KEY/);
    expect(err.message).toContain('boom.mjs:2');
  });

  it('a tsconfig that extends a missing file: names the tsconfig, not an internal error', async () => {
    const err = await loadError('target: ./agent.ts:run', {
      'agent.ts': AGENT_TS,
      'tsconfig.json': '{ "extends": "../../tsconfig.base.json" }',
    });
    expect(err.message).toMatch(/^cannot load TypeScript with .*tsconfig\.json: .*tsconfig\.base\.json/);
    expect(err.message).toContain('runner.tsconfig');
  });
});
