/**
 * examples/websocket-handler end to end, as its README walks it: `fluxloop record enable`, a real ws session
 * (server + client) recording the handler's calls, `fluxloop record disable`, `fluxloop generate inputs`, then
 * `fluxloop run experiment` replaying every recorded call with every generated input. Offline, in a copy.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnv, cleanup, runCli, tempDir } from './helpers/cli.js';
import { jsonlLines, onlyExperiment } from './run-helpers.js';

afterEach(cleanup);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'websocket-handler');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** The example copied out (without its local state), with node_modules linking the workspace's packages. */
function exampleCopy(): string {
  const dir = tempDir('fluxloop-ws-example-');
  fs.cpSync(EXAMPLE, dir, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|traces|experiments|inputs|\.turbo)$/.test(src),
  });
  fs.rmSync(path.join(dir, 'recordings', 'args_recording.jsonl'), { force: true });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const pkg of ['@fluxloop', 'ws']) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', pkg), path.join(dir, 'node_modules', pkg));
  }
  return dir;
}

/** `npm run session`: the real ws server and client, recording per the project's .env. */
function session(cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, 'src/session.ts'], { cwd, env: childEnv(), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('examples/websocket-handler: record a real session, replay it with generated inputs', () => {
  it('records the handler calls, replays each with every variation, and never appends to the recording', async () => {
    const dir = exampleCopy();
    const cli = (...args: string[]) => runCli(args, { cwd: dir, timeoutMs: 60_000 });

    expect((await cli('record', 'enable')).code).toBe(ExitCode.ok);
    const recorded = await session(dir);
    expect({ code: recorded.code, stderr: recorded.stderr }).toEqual({ code: 0, stderr: '' });
    expect(recorded.stdout).toContain('< Order A-1001 is shipped; it should arrive Thursday.');
    expect((await cli('record', 'disable')).code).toBe(ExitCode.ok);

    const recordingFile = path.join(dir, 'recordings', 'args_recording.jsonl');
    const lines = jsonlLines(recordingFile) as { function: string; args: unknown[]; kwargs: object }[];
    expect(lines.map((l) => [l.function, (l.args[1] as { text: string }).text])).toEqual([
      ['handle_message', 'Hi, where is my order A-1001?'],
      ['handle_message', 'Can I get a refund for A-1002?'],
      ['handle_message', 'hello?'],
    ]);
    expect(lines[0]!.args[0]).toMatchObject({ $fluxloop: 'instance', class: 'WebSocket', value: {} });
    expect((lines[0]!.args[0] as { methods: string[] }).methods).toContain('send');
    const before = fs.readFileSync(recordingFile, 'utf8');

    expect((await cli('generate', 'inputs')).code).toBe(ExitCode.ok);
    const run = await cli('run', 'experiment', '--verbose');
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    expect(run.stderr).toContain('18 runs (6 inputs × 1 iteration × 3 recorded calls)');
    expect(run.stderr).toContain('✓ 18 runs: 18 succeeded, 0 failed');
    expect(run.stderr).toMatch(/→ args\.0\.send\("\{\\"type\\":\\"reply\\"/);

    const artifacts = await onlyExperiment(dir);
    expect(artifacts.traceSummaries).toHaveLength(18);
    for (const s of artifacts.traceSummaries) {
      const output = s.output as { calls: { callable: string; args: string[] }[] };
      expect(output.calls.map((c) => [c.callable, JSON.parse(c.args[0]!).type])).toEqual([
        ['args.0.send', 'typing'],
        ['args.0.send', 'reply'],
      ]);
      const obs = artifacts.observations.filter((o) => o.trace_id === s.trace_id);
      expect(obs.map((o) => `${o.name} [${o.type}]`).sort()).toEqual(
        expect.arrayContaining(['handle_message [agent]', 'send [span]']),
      );
    }
    const refund = artifacts.traceSummaries.find((s) => String(s.input).includes('refund for A-1002'))!;
    expect(JSON.stringify(refund.output)).toContain('A refund for A-1002 is on its way.');
    expect(fs.readFileSync(recordingFile, 'utf8')).toBe(before);
  }, 120_000);
});
