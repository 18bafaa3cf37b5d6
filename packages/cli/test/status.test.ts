import fs from 'node:fs';
import path from 'node:path';
import { type ExperimentSummary, SCHEMA_VERSION } from '@fluxloop/contract';
import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runMain, tempDir } from './helpers/cli.js';

afterEach(cleanup);

async function project(): Promise<string> {
  const cwd = tempDir();
  expect((await runMain(['init', 'project', 'agent'], { cwd })).code).toBe(ExitCode.ok);
  return path.join(cwd, 'agent');
}

function experiment(root: string, id: string, startedAt: string, runs: number, failed: number): void {
  const summary: ExperimentSummary = {
    schema_version: SCHEMA_VERSION,
    experiment_id: id,
    name: 'agent',
    started_at: startedAt,
    finished_at: startedAt.replace(':00.000Z', ':30.000Z'),
    status: 'completed',
    config: {},
    results: {
      total_runs: runs,
      successful: runs - failed,
      failed,
      success_rate: (runs - failed) / runs,
      duration: { avg_ms: 900, p50_ms: 812.4, p95_ms: 12_345, max_ms: 15_000 },
      token_usage: { input_tokens: 1000, output_tokens: 234, total_tokens: 1234 },
    },
  };
  fs.mkdirSync(path.join(root, 'experiments', id), { recursive: true });
  fs.writeFileSync(path.join(root, 'experiments', id, 'summary.json'), JSON.stringify(summary));
}

describe('fluxloop status', () => {
  it('prints the project, recordings and the newest experiments; --limit keeps the newest N', async () => {
    const root = await project();
    experiment(root, 'exp-1', '2025-01-01T10:00:00.000Z', 10, 1);
    experiment(root, 'exp-2', '2025-01-02T10:00:00.000Z', 4, 0);
    fs.writeFileSync(path.join(root, 'recordings/args_recording.jsonl'), '{"function":"run","args":["hi"]}\n');
    fs.writeFileSync(path.join(root, '.env'), 'FLUXLOOP_RECORD_ARGS=true\n');
    const r = await runMain(['status', '--limit', '1'], { cwd: root });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toBe('');
    expect(r.out.split('\n')).toEqual([
      `Project    agent  ${root}`,
      'Configs    valid (configs/project.yaml, configs/input.yaml, configs/simulation.yaml, configs/evaluation.yaml)',
      'Inputs     11 entries from base_inputs x personas',
      'Target     module ./agent.ts:run',
      'Recording  on (FLUXLOOP_RECORD_ARGS=true in .env); replay off (recordings/args_recording.jsonl)',
      '           recordings/args_recording.jsonl  1 line  33 B  (replay file)',
      '',
      'Experiments in experiments/ (2 in total, newest 1)',
      '  ID     STATUS     STARTED               RUNS  SUCCESS  P50     P95     TOKENS',
      '  exp-2  completed  2025-01-02 10:00:00Z  4     100.0%   812 ms  12.3 s  1,234',
      '',
    ]);
  });

  it('--json prints the status as JSON on stdout only', async () => {
    const root = await project();
    experiment(root, 'exp-1', '2025-01-01T10:00:00.000Z', 10, 1);
    fs.mkdirSync(path.join(root, 'experiments/exp-2'));
    fs.writeFileSync(path.join(root, 'experiments/exp-2/trace_summary.jsonl'), '{}\n{}\n');
    const r = await runMain(['status', '--json'], { cwd: root });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toBe('');
    const status = JSON.parse(r.out);
    expect(status.project).toEqual({ name: 'agent', root });
    expect(status.experiments).toEqual({
      directory: 'experiments',
      total: 2,
      recent: [
        {
          id: 'exp-2',
          status: 'incomplete',
          reason: 'no summary.json yet (running, or stopped before the end)',
          runs_recorded: 2,
          started_at: expect.any(String),
        },
        {
          id: 'exp-1',
          name: 'agent',
          status: 'completed',
          started_at: '2025-01-01T10:00:00.000Z',
          finished_at: '2025-01-01T10:00:30.000Z',
          runs: 10,
          successful: 9,
          failed: 1,
          success_rate: 0.9,
          p50_ms: 812.4,
          p95_ms: 12_345,
          token_usage: { input_tokens: 1000, output_tokens: 234, total_tokens: 1234 },
        },
      ],
    });
  });

  it('an incomplete experiment and invalid configs are shown, not a crash', async () => {
    const root = await project();
    fs.writeFileSync(path.join(root, 'configs/simulation.yaml'), 'runner: {}\n');
    fs.mkdirSync(path.join(root, 'experiments/exp-9'), { recursive: true });
    const r = await runMain(['status'], { cwd: root });
    expect(r.code).toBe(ExitCode.ok);
    const lines = r.out.split('\n');
    expect(lines.slice(1, 5)).toEqual([
      'Configs    1 problem (run fluxloop doctor)',
      '           configs/simulation.yaml:1:9: runner: needs one of: target, http, process',
      'Inputs     11 entries from base_inputs x personas',
      'Target     none configured',
    ]);
    expect(lines.at(-2)).toMatch(
      /^ {2}exp-9 {2}incomplete {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}0 +no summary\.json yet/,
    );
  });

  it('outside a project: exit 2 saying how to create one', async () => {
    const r = await runMain(['status'], { cwd: tempDir() });
    expect(r.code).toBe(ExitCode.usage);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^fluxloop: no FluxLoop project here: .*fluxloop init project <name>/);
  });

  it('--limit must be a whole number of 1 or more', async () => {
    for (const bad of ['0', '-2', '1.5', 'all']) {
      const r = await runMain(['status', '--limit', bad]);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.err).toContain(
        `option '--limit <n>' argument '${bad}' is invalid. expected a whole number of 1 or more`,
      );
    }
  });
});
