import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, closedUrl, doctor, healthyProject, listen } from './doctor-helpers.js';

const simulation = (runner: string) => ({ 'configs/simulation.yaml': `runner:\n${runner}` });

async function target(files: Record<string, string>, options: Parameters<typeof doctor>[1] = {}) {
  const root = healthyProject(files);
  return { root, result: check(await doctor(root, options), 'target') };
}

describe('doctor: module targets (imported in a child process with tsx)', () => {
  it('a missing module file fails, naming where it looked', async () => {
    const { root, result } = await target(simulation('  target: ./src/agent.ts:run\n'));
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: `./src/agent.ts:run: ./src/agent.ts not found (looked for ${path.join(root, 'src/agent.ts')})`,
      hint: "create it, or point runner.target in configs/simulation.yaml at your agent's module",
    });
  });

  it('an export that is not a function fails, listing what the module exports', async () => {
    const { result } = await target({
      ...simulation('  target: ./bad.ts:run\n'),
      'bad.ts': 'export const run: string = "not callable";\nexport function other() {}\n',
    });
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: './bad.ts:run: run is a string, not a function',
      hint: 'runner.target must name a function (or Class.method); it exports other, run',
    });
  });

  it('a missing export fails, listing what the module exports', async () => {
    const { result } = await target(simulation('  target: ./agent.ts:handle\n'));
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: './agent.ts:handle: ./agent.ts has no export handle; it exports lookupOrder, run, searchFaq',
      hint: 'export the function, or point runner.target in configs/simulation.yaml at one of its exports',
    });
  });

  it('a module that throws while importing fails with its error; its side effects stay in the child', async () => {
    const { result } = await target({
      ...simulation('  target: ./boom.ts:run\n'),
      'boom.ts':
        'export const run = () => 1;\n(globalThis as any).__boomImported = true;\n' +
        'throw new Error("cannot start: DATABASE_URL missing");\n',
    });
    expect((globalThis as { __boomImported?: boolean }).__boomImported).toBeUndefined();
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: 'importing ./boom.ts failed: cannot start: DATABASE_URL missing',
      hint: 'run npx tsx ./boom.ts to see the whole error',
    });
  });

  it('an import that never finishes is stopped at the time limit', async () => {
    const { result } = await target(
      {
        ...simulation('  target: ./hang.ts:run\n'),
        'hang.ts': 'setInterval(() => {}, 1000);\nawait new Promise(() => {});\nexport const run = () => 1;\n',
      },
      { importTimeoutMs: 3000 },
    );
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: 'importing ./hang.ts did not finish within 3 s',
      hint: 'something at the top level of the module waits forever (a server, an await): move it into a function',
    });
  });

  it('a project without "type": "module" (CommonJS) loads its TypeScript agent too', async () => {
    const { result } = await target({ 'package.json': '{ "name": "cjs-agent", "private": true }\n' });
    expect(result).toEqual({ name: 'target', status: 'ok', detail: './agent.ts:run is a function' });
  });

  it('Class.method: the method must be on the class; the default export counts as an export', async () => {
    const agentClass = 'export class Agent { handle(input: string) { return input; } }\nexport default () => 1;\n';
    const files = { 'class.ts': agentClass };
    expect((await target({ ...files, ...simulation('  target: ./class.ts:Agent.handle\n') })).result).toEqual({
      name: 'target',
      status: 'ok',
      detail: './class.ts:Agent.handle: Agent.prototype.handle is a function',
    });
    expect((await target({ ...files, ...simulation('  target: ./class.ts:Agent.reply\n') })).result).toEqual({
      name: 'target',
      status: 'fail',
      detail: './class.ts:Agent.reply: Agent has no method reply',
      hint: 'add reply() to class Agent, or set runner.factory to a function returning the instance',
    });
    expect((await target({ ...files, ...simulation('  target: ./class.ts\n') })).result).toEqual({
      name: 'target',
      status: 'ok',
      detail: './class.ts is a function',
    });
  });

  it('runner.factory must be an exported function', async () => {
    const { result } = await target({
      'class.ts': 'export class Agent {}\nexport const make = 42;\n',
      ...simulation('  target: ./class.ts:Agent.handle\n  factory: make\n'),
    });
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: 'runner.factory make is a number',
      hint: 'export a function make() that returns the instance',
    });
  });
});

describe('doctor: HTTP targets', () => {
  const httpTarget = (url: string, extra = '') =>
    simulation(`  http:\n    url: ${url}\n    headers:\n      Authorization: Bearer \${API_TOKEN}\n${extra}`);

  it('a server that answers is reachable whatever the status; no run is made', async () => {
    const server = await listen(404);
    const { result } = await target(
      { ...httpTarget(`${server.url}/chat/\${persona}`), '.env': 'API_TOKEN=secret-token-value\n' },
      {},
    );
    expect(result).toEqual({
      name: 'target',
      status: 'ok',
      detail: `POST ${server.url}/chat/\${persona} answers (HTTP 404 to HEAD)`,
    });
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([['HEAD', '/chat/doctor']]);
  });

  it('a server that is down fails with the network error', async () => {
    const url = await closedUrl();
    const { result } = await target({ ...httpTarget(`${url}/chat`), '.env': 'API_TOKEN=x\n' });
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: `POST ${url}/chat does not answer: connect ECONNREFUSED ${url.replace('http://', '')}`,
      hint: 'start the server, or fix runner.http.url',
    });
  });

  it('unset variables in the headers or body are reported by name', async () => {
    const server = await listen(200);
    const { result } = await target(
      httpTarget(`${server.url}/chat`, `    body: { q: "\${input}", k: "\${MODEL_KEY}" }\n`),
    );
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: `POST ${server.url}/chat answers (HTTP 200 to HEAD), but the request uses \${API_TOKEN}, \${MODEL_KEY}, not set`,
      hint: "set API_TOKEN, MODEL_KEY in the project's .env or the environment",
    });
  });

  it('an unset variable in the URL fails without a request', async () => {
    const { result } = await target(simulation(`  http:\n    url: \${AGENT_URL}/chat\n`));
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: `POST \${AGENT_URL}/chat: uses \${AGENT_URL}, not set`,
      hint: "set AGENT_URL in the project's .env or the environment",
    });
  });
});

describe('doctor: process targets', () => {
  const env = { PATH: path.dirname(process.execPath) };

  it('a command on PATH is found', async () => {
    const { result } = await target(simulation('  process:\n    command: node\n    args: [agent.js]\n'), { env });
    expect(result).toEqual({
      name: 'target',
      status: 'ok',
      detail: `node agent.js: node is ${path.join(path.dirname(process.execPath), 'node')}`,
    });
  });

  it('a command that is not on PATH, or a path that does not exist, fails', async () => {
    const missing = await target(simulation('  process:\n    command: no-such-agent-cmd\n'), { env });
    expect(missing.result).toEqual({
      name: 'target',
      status: 'fail',
      detail: 'no-such-agent-cmd: no-such-agent-cmd is not on PATH',
      hint: 'install it, or set runner.process.command to its full path',
    });
    const file = await target(simulation('  process:\n    command: ./bin/agent\n'), { env });
    expect(file.result).toEqual({
      name: 'target',
      status: 'fail',
      detail: `./bin/agent: ${path.join(file.root, 'bin/agent')} does not exist`,
      hint: 'fix runner.process.command (relative paths start at its cwd)',
    });
  });

  it('a path to a file that is not executable fails', async () => {
    const { root, result } = await target({
      ...simulation('  process:\n    command: ./agent.ts\n'),
    });
    expect(result).toEqual({
      name: 'target',
      status: 'fail',
      detail: `./agent.ts: ${path.join(root, 'agent.ts')} is not an executable file`,
      hint: 'fix runner.process.command (relative paths start at its cwd)',
    });
  });
});
