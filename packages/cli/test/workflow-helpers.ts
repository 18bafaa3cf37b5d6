import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObservationRecord, TraceSummaryRecord } from '@fluxloop/contract';
import { type InputEntry, readInputsFile } from '@fluxloop/core';
import { expect } from 'vitest';
import { type Artifacts, consistencyProblems, readArtifacts } from '../../core/test/runner/artifacts.js';
import { childEnv, runCli, tempDir } from './helpers/cli.js';
import { experimentDirs } from './run-helpers.js';

const WORKSPACE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'node_modules');

/**
 * `fluxloop init project <name>` in a fresh folder, then what `npm install` would give the project:
 * node_modules/@fluxloop (and @opentelemetry, for agents that read a traceparent) linked from the workspace.
 */
export async function initProject(name = 'shop'): Promise<string> {
  const parent = tempDir('fluxloop-workflow-');
  const exit = await runCli(['init', 'project', name], { cwd: parent, timeoutMs: 30_000 });
  if (exit.code !== 0) throw new Error(`init failed (${exit.code}): ${exit.stderr}`);
  const root = path.join(parent, name);
  fs.mkdirSync(path.join(root, 'node_modules'));
  for (const scope of ['@fluxloop', '@opentelemetry']) {
    fs.symlinkSync(path.join(WORKSPACE_MODULES, scope), path.join(root, 'node_modules', scope));
  }
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
}

export const GENERATED = 'inputs/generated.yaml';

/** `fluxloop generate inputs`, which must succeed, and the entries it wrote (read with core's validating reader). */
export async function generateInputs(root: string, env: Record<string, string> = {}) {
  const exit = await runCli(['generate', 'inputs'], { cwd: root, env, timeoutMs: 30_000 });
  expect(exit.code, exit.stderr).toBe(0);
  const text = fs.readFileSync(path.join(root, GENERATED), 'utf8');
  return { exit, text, entries: readInputsFile(path.join(root, GENERATED), GENERATED).inputs };
}

export const runExperiment = (root: string, args: string[] = []) =>
  runCli(['run', 'experiment', ...args], { cwd: root, timeoutMs: 60_000 });

const runKey = (iteration: number, persona: string | null | undefined, input: unknown) =>
  JSON.stringify([iteration, persona ?? null, input]);

/**
 * The one experiment folder under `<root>/<output>`, its four files valid against the contract schemas and
 * consistent (counts, trace ids, one root per trace, observation parents inside their trace: consistencyProblems),
 * and more: its runs are exactly the generated entries x iterations, it says it read them from the generated file,
 * every run agrees with its trace record, and every run's tokens are the sum of its generations.
 */
export async function workflowArtifacts(
  root: string,
  entries: InputEntry[],
  iterations: number,
  output = 'experiments',
): Promise<Artifacts> {
  const dirs = experimentDirs(root, output);
  expect(dirs).toHaveLength(1);
  const a = await readArtifacts(dirs[0]!);
  expect(consistencyProblems(a)).toEqual([]);
  const expected = entries.flatMap((e) => Array.from({ length: iterations }, (_, i) => runKey(i, e.persona, e.input)));
  const actual = a.traceSummaries.map((s) => runKey(s.iteration, s.persona, s.input));
  expect(actual.sort()).toEqual(expected.sort());
  expect(a.summary.results.total_runs).toBe(entries.length * iterations);
  expect(a.summary.config).toMatchObject({
    inputs: { source: GENERATED, entries: entries.length },
    planned_runs: entries.length * iterations,
  });
  const traces = new Map(a.traces.map((t) => [t.trace_id, t]));
  for (const s of a.traceSummaries) {
    const trace = traces.get(s.trace_id!);
    expect(trace, `run ${runKey(s.iteration, s.persona, s.input)} has its trace`).toBeDefined();
    expect([trace!.iteration, trace!.persona, trace!.input, trace!.experiment_id, trace!.status]).toEqual([
      s.iteration,
      s.persona,
      s.input,
      a.summary.experiment_id,
      s.success ? 'success' : 'error',
    ]);
    const generated = observationsOf(a, s).reduce((sum, o) => sum + (o.token_usage?.total_tokens ?? 0), 0);
    expect(s.token_usage.total_tokens).toBe(generated);
  }
  return a;
}

export const observationsOf = (a: Artifacts, run: TraceSummaryRecord): ObservationRecord[] =>
  a.observations.filter((o) => o.trace_id === run.trace_id);

/** A run's observations as `type name <- parent name` lines, sorted: the shape of its trace. */
export function treeOf(a: Artifacts, run: TraceSummaryRecord): string[] {
  const observations = observationsOf(a, run);
  const names = new Map(observations.map((o) => [o.id, o.name]));
  return observations
    .map((o) => `${o.type} ${o.name} <- ${o.parent_observation_id ? names.get(o.parent_observation_id) : 'none'}`)
    .sort();
}

/** A port that was free a moment ago, for a receiver that a server started beforehand must be pointed at. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const servers = new Set<ChildProcess>();

/** Stops (by pid) the servers started by startServer. */
export function stopServers(): void {
  for (const child of servers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  servers.clear();
}

/** `node <script>` in the project, started beforehand like a user's server; resolves with the port it printed. */
export async function startServer(root: string, script: string, env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, [script], { cwd: root, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  servers.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}): ${output}`)));
  });
}
