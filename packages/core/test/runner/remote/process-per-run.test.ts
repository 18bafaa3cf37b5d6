// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the config placeholder syntax under test.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { createProcessTarget, type ProcessTargetOptions, RemoteRunError } from '../../../src/runner/remote/index.js';
import { ECHO_AGENT } from './helpers/agents.js';
import { configure, processConfig } from './helpers/environment.js';
import { loggedPid, testRun } from './helpers/run-context.js';
import { processTarget } from './helpers/targets.js';
import { isAlive, waitUntil } from './helpers/wait.js';

const SECRET = 'sk-test-0123456789abcdefghij';

async function echoTarget(options?: ProcessTargetOptions) {
  const { config, env, root } = processConfig(ECHO_AGENT, {
    env: { OPENAI_API_KEY: SECRET, NAME: 'Ada' },
    configEnv: { GREETING: 'hello ${NAME}' },
    otlpEndpoint: 'http://127.0.0.1:4999',
  });
  return { target: await processTarget(config, env, options), root };
}

describe('per_run process targets', () => {
  it('runs one process per run: input message, deltas, final output, environment and log lines', async () => {
    const { target, root } = await echoTarget();
    const run = testRun({ persona: 'expert', iteration: 2 });
    const output = (await target.invoke('hello world', run)) as { pid: number };
    expect(output).toEqual({
      input: 'hello world',
      persona: 'expert',
      iteration: 2,
      traceparent: run.traceparent,
      pid: output.pid,
      cwd: fs.realpathSync(root),
      env: {
        TRACEPARENT: run.traceparent,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4999',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: null,
        OTEL_SERVICE_NAME: 'remote-demo',
        GREETING: 'hello Ada',
      },
    });
    expect(run.deltas).toEqual(['hello', 'world']);
    expect([...run.logs].sort()).toEqual(
      [`pid ${output.pid}`, 'log: got "hello world"', '{"not":"a protocol message"}'].sort(),
    );
    expect(target).toMatchObject({ kind: 'process', remoteSpans: true, description: `${process.execPath} agent.mjs` });
  });

  it('closes stdin after the final message, and the process exits by itself', async () => {
    // A flush grace far beyond the wait below: only the process's own exit can end it in time.
    const { target } = await echoTarget({ flushGraceMs: 600_000, killGraceMs: 500 });
    const output = (await target.invoke('bye', testRun())) as { pid: number };
    await waitUntil(() => !isAlive(output.pid), 'the process exited');
  });

  it("fails the run with the message of an error reply, secrets redacted, and the run's last log lines", async () => {
    const { target } = await echoTarget();
    const error = await target.invoke('fail', testRun()).catch((err: Error) => err);
    expect(error).toBeInstanceOf(RemoteRunError);
    expect((error as Error).message).toMatch(
      /^cannot do it, key \[REDACTED:OPENAI_API_KEY\]; last log lines:\n {2}pid \d+\n {2}log: got "fail"\n {2}\{"not":"a protocol message"\}$/,
    );
  });

  it('fails the run when the process exits without a final message, with the exit code and the stderr tail', async () => {
    const { target } = await echoTarget();
    const run = testRun();
    const error = await target.invoke('crash', run).catch((err: RemoteRunError) => err);
    const pid = await loggedPid(run);
    expect(error).toBeInstanceOf(RemoteRunError);
    expect((error as Error).message).toBe(
      `the process exited with code 3 before it answered run ${run.runId}; last stderr lines:\n` +
        `  pid ${pid}\n  about to crash, key [REDACTED:OPENAI_API_KEY]`,
    );
    expect((error as RemoteRunError).log).toContain('about to crash, key [REDACTED:OPENAI_API_KEY]');
  });

  it('ignores replies for another run id and keeps them in the log', async () => {
    const { target } = await echoTarget();
    const run = testRun();
    expect(await target.invoke('wrong id', run)).toMatchObject({ input: 'wrong id' });
    expect(run.logs).toContain(`(ignored a final message for id "someone-else": this run's id is "${run.runId}")`);
  });
});

describe('stopping per_run processes', () => {
  it("kills a hanging process when the run's signal fires", async () => {
    const { target } = await echoTarget();
    const run = testRun();
    const pending = target.invoke('hang', run);
    const pid = await loggedPid(run);
    run.abort(new Error('run timed out'));
    await expect(pending).rejects.toThrow('run timed out');
    await waitUntil(() => !isAlive(pid), 'the hanging process is gone');
  });

  it('follows SIGTERM with SIGKILL for a process that ignores it', async () => {
    const { target } = await echoTarget();
    const run = testRun();
    const pending = target.invoke('stubborn', run);
    const pid = await loggedPid(run);
    await waitUntil(() => run.logs.includes('log: got "stubborn"'), 'the agent installed its SIGTERM handler');
    run.abort(new Error('interrupted'));
    await expect(pending).rejects.toThrow('interrupted');
    await waitUntil(() => !isAlive(pid), 'the stubborn process is gone');
  });

  it('close() fails the run in flight and leaves neither the process nor its own children behind', async () => {
    const { target } = await echoTarget();
    const run = testRun();
    const outcome = target.invoke('grandchild', run).catch((err: Error) => err);
    const [pid, grandchild] = [await loggedPid(run), await loggedPid(run, 'grandchild')];
    expect([isAlive(pid), isAlive(grandchild)]).toEqual([true, true]);
    await target.close();
    expect(await outcome).toEqual(new RemoteRunError('the target was closed'));
    expect([isAlive(pid), isAlive(grandchild)]).toEqual([false, false]);
    await expect(target.invoke('hello', testRun())).rejects.toThrow('the target is closed');
  });
});

describe('configuration errors when the target is created', () => {
  // configs/simulation.yaml is YAML.stringify({ runner: { process } }): command on line 3, cwd or env below it.
  const where = (position: string) => `configs/simulation.yaml:${position}: runner.process`;
  const create = (process_: Record<string, unknown>, env: Record<string, string> = { PATH: process.env.PATH! }) => {
    const { runner, env: targetEnv } = configure({ process: process_ }, env);
    return createProcessTarget(runner.process!, targetEnv);
  };

  it('names a command that is not on the PATH', async () => {
    await expect(create({ command: 'fluxloop-no-such-agent' })).rejects.toThrow(
      new UserError(
        `${where('3:14')}.command: command "fluxloop-no-such-agent" was not found on the PATH: ` +
          'install it, or give its path (./bin/agent or an absolute path)',
      ),
    );
  });

  it('names a command path that does not exist, or a working directory that is not a folder', async () => {
    await expect(create({ command: './bin/agent' })).rejects.toThrow(
      `${where('3:14')}.command: "./bin/agent" does not exist`,
    );
    await expect(create({ command: 'node', cwd: 'missing' })).rejects.toThrow(
      `${where('4:10')}.cwd: "missing" is not a folder`,
    );
  });

  it('names an unset variable used in env', async () => {
    await expect(create({ command: 'node', env: { KEY: '${AGENT_KEY}' } })).rejects.toThrow(
      `${where('5:12')}.env.KEY uses \${AGENT_KEY}, but AGENT_KEY is not set`,
    );
  });

  it('runs in cwd, relative to the project root', async () => {
    const { runner, env, root } = configure(
      { process: { command: process.execPath, args: ['../agent.mjs'], cwd: 'work' } },
      { PATH: process.env.PATH! },
      { 'agent.mjs': ECHO_AGENT, 'work/.keep': '' },
    );
    const target = await processTarget(runner.process!, env);
    expect(await target.invoke('where', testRun())).toMatchObject({ cwd: fs.realpathSync(path.join(root, 'work')) });
  });
});
