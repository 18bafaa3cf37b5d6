import { describe, expect, it } from 'vitest';
import { RemoteRunError } from '../../../src/runner/remote/index.js';
import type { Target } from '../../../src/runner/types.js';
import { ECHO_AGENT } from './helpers/agents.js';
import { processConfig } from './helpers/environment.js';
import { loggedPid, testRun } from './helpers/run-context.js';
import { processTarget } from './helpers/targets.js';
import { isAlive, waitUntil } from './helpers/wait.js';

interface EchoOutput {
  pid: number;
  traceparent: string;
  env: Record<string, string | null>;
}

async function persistentTarget(): Promise<Target> {
  const { config, env } = processConfig(ECHO_AGENT, {
    mode: 'persistent',
    // An inherited TRACEPARENT would tie the long-lived process to one trace: it must not reach it.
    env: { TRACEPARENT: '00-11111111111111111111111111111111-2222222222222222-01', OPENAI_API_KEY: 'sk-abcdefgh1234' },
  });
  return processTarget(config, env);
}

const echo = async (target: Target, input = 'hello') => (await target.invoke(input, testRun())) as EchoOutput;
const atOnce = (target: Target, n: number) => Promise.all(Array.from({ length: n }, () => echo(target)));

describe('persistent process targets', () => {
  it('serves run after run from one process, the traceparent in each input message', async () => {
    const target = await persistentTarget();
    const runs = [testRun(), testRun(), testRun()];
    const outputs: EchoOutput[] = [];
    for (const run of runs) outputs.push((await target.invoke('hello', run)) as EchoOutput);
    expect(outputs.map((o) => [o.pid, o.traceparent, o.env.TRACEPARENT])).toEqual(
      runs.map((run) => [outputs[0]!.pid, run.traceparent, null]),
    );
  });

  it('keeps one process per run in flight and reuses them', async () => {
    const target = await persistentTarget();
    const first = new Set((await atOnce(target, 3)).map((o) => o.pid));
    const second = new Set((await atOnce(target, 3)).map((o) => o.pid));
    expect(first.size).toBe(3);
    expect(second).toEqual(first);
  });

  it('keeps the process after an error reply', async () => {
    const target = await persistentTarget();
    const { pid } = await echo(target);
    await expect(target.invoke('fail', testRun())).rejects.toThrow('cannot do it, key [REDACTED:OPENAI_API_KEY]');
    expect((await echo(target)).pid).toBe(pid);
  });

  it('fails the run in flight when the process crashes, and starts a new one for the next run', async () => {
    const target = await persistentTarget();
    const { pid } = await echo(target);
    const run = testRun();
    const error = await target.invoke('crash', run).catch((err: Error) => err);
    expect(error).toBeInstanceOf(RemoteRunError);
    expect((error as Error).message).toBe(
      `the process exited with code 3 before it answered run ${run.runId}; last stderr lines:\n` +
        `  pid ${pid}\n  about to crash, key [REDACTED:OPENAI_API_KEY]`,
    );
    const next = await echo(target);
    expect([next.pid === pid, isAlive(pid)]).toEqual([false, false]);
  });

  it('fails an aborted run, stops its process, and starts a new one for the next run', async () => {
    const target = await persistentTarget();
    const run = testRun();
    const pending = target.invoke('hang', run);
    const pid = await loggedPid(run);
    await waitUntil(() => run.logs.includes('log: got "hang"'), 'the process received the run');
    run.abort(new Error('run timed out'));
    await expect(pending).rejects.toThrow('run timed out');
    await waitUntil(() => !isAlive(pid), 'the aborted run was killed');
    expect((await echo(target)).pid).not.toBe(pid);
  });

  it('close() stops idle and busy processes and leaves none behind', async () => {
    const target = await persistentTarget();
    const pids = (await atOnce(target, 3)).map((o) => o.pid);
    const run = testRun();
    // One of the three takes this run and is busy when the target closes.
    const busy = target.invoke('hang', run).catch((err: Error) => err);
    await waitUntil(() => run.logs.includes('log: got "hang"'), 'a process received the run');
    expect(pids.map(isAlive)).toEqual([true, true, true]);
    await target.close();
    expect(await busy).toEqual(new RemoteRunError('the target was closed'));
    expect(pids.map(isAlive)).toEqual([false, false, false]);
  });
});

describe('persistent process targets: the log of a run', () => {
  it('keeps the stderr line written just before the reply, though stderr is another pipe', async () => {
    const agent = `
import readline from 'node:readline';
for await (const line of readline.createInterface({ input: process.stdin })) {
  const { id } = JSON.parse(line);
  process.stderr.write('log of ' + id + '\\n');
  process.stdout.write(JSON.stringify({ type: 'final', id, output: id }) + '\\n');
}`;
    const { config, env } = processConfig(agent, { mode: 'persistent' });
    const target = await processTarget(config, env);
    const runs = Array.from({ length: 200 }, () => testRun());
    for (const run of runs) await target.invoke('x', run);
    expect(runs.filter((run) => run.logs.join() !== `log of ${run.runId}`).map((run) => run.logs)).toEqual([]);
  });
});
