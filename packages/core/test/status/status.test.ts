import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getProjectStatus, ProjectNotFoundError } from '../../src/index.js';
import { scaffold, tempDir, writeFiles } from '../init/scaffold-helpers.js';
import { summary, writeExperiment } from './fixtures.js';

const status = (root: string, env: Record<string, string> = {}, limit?: number) =>
  getProjectStatus({ cwd: root, env, ...(limit !== undefined ? { limit } : {}) });

function finished(id: string, startedAt: string, runs = 10, failed = 1) {
  return {
    id,
    name: 'demo',
    status: 'completed',
    started_at: startedAt,
    finished_at: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    runs,
    successful: runs - failed,
    failed,
    success_rate: (runs - failed) / runs,
    p50_ms: 100,
    p95_ms: 250,
    token_usage: { input_tokens: 30 * runs, output_tokens: 12 * runs, total_tokens: 42 * runs },
  };
}

describe('getProjectStatus: a fresh scaffolded project', () => {
  it('reports the project, valid configs, base inputs, the module target and no recordings or experiments', async () => {
    const { root } = scaffold();
    expect(await status(root)).toEqual({
      project: { name: 'my-agent', root },
      configs: {
        valid: true,
        files: ['configs/project.yaml', 'configs/input.yaml', 'configs/simulation.yaml', 'configs/evaluation.yaml'],
        issues: [],
      },
      inputs: { count: 11, source: 'base_inputs' },
      target: { kind: 'module', description: './agent.ts:run' },
      recording: {
        record_args: { enabled: false, value: null, source: 'unset' },
        replay: { enabled: false, recording_file: 'recordings/args_recording.jsonl', function: null },
        files: [],
      },
      experiments: { directory: 'experiments', total: 0, recent: [] },
    });
  });

  it('outside a project it is a ProjectNotFoundError', async () => {
    await expect(status(tempDir())).rejects.toThrow(ProjectNotFoundError);
  });
});

describe('getProjectStatus: experiments', () => {
  it('lists the newest N by started_at, the folder name breaking ties, and counts them all', async () => {
    const { root } = scaffold();
    writeExperiment(root, 'exp-a', { summary: summary('exp-a', '2025-01-01T10:00:00.000Z') });
    writeExperiment(root, 'exp-b', { summary: summary('exp-b', '2025-03-01T10:00:00.000Z', 4, 0) });
    writeExperiment(root, 'exp-c', { summary: summary('exp-c', '2025-02-01T10:00:00.000Z') });
    writeExperiment(root, 'exp-d', { summary: summary('exp-d', '2025-02-01T10:00:00.000Z') });
    fs.mkdirSync(path.join(root, 'experiments/.cache'));
    const result = await status(root, {}, 3);
    expect(result.experiments).toEqual({
      directory: 'experiments',
      total: 4,
      recent: [
        finished('exp-b', '2025-03-01T10:00:00.000Z', 4, 0),
        finished('exp-d', '2025-02-01T10:00:00.000Z'),
        finished('exp-c', '2025-02-01T10:00:00.000Z'),
      ],
    });
    expect((await status(root)).experiments.recent.map((e) => e.id)).toEqual(['exp-b', 'exp-d', 'exp-c', 'exp-a']);
  });

  it('an interrupted experiment keeps its status', async () => {
    const { root } = scaffold();
    writeExperiment(root, 'exp-x', {
      summary: { ...summary('exp-x', '2025-01-01T00:00:00.000Z'), status: 'interrupted' },
    });
    expect((await status(root)).experiments.recent).toEqual([
      { ...finished('exp-x', '2025-01-01T00:00:00.000Z'), status: 'interrupted' },
    ]);
  });

  it('folders without a valid summary.json are incomplete, with the runs recorded so far, never a crash', async () => {
    const { root } = scaffold();
    writeExperiment(root, 'old', { summary: summary('old', '2025-01-01T00:00:00.000Z') });
    writeExperiment(root, 'running', { runs: 3 });
    writeExperiment(root, 'torn', { summary: '{"schema_version": "1.0", "experi', runs: 7 });
    writeExperiment(root, 'wrong', {
      summary: { ...summary('wrong', '2025-01-01T00:00:00.000Z'), started_at: 'yesterday' },
    });
    writeExperiment(root, 'empty', {});
    const recent = (await status(root, {}, 10)).experiments.recent;
    // Incomplete folders sort by their creation time: now, newer than the finished one from 2025.
    expect(recent.at(-1)).toEqual(finished('old', '2025-01-01T00:00:00.000Z'));
    const incomplete = recent.slice(0, -1).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(incomplete.map((e) => ({ ...e, started_at: typeof e.started_at }))).toEqual([
      {
        id: 'empty',
        status: 'incomplete',
        reason: 'no summary.json yet (running, or stopped before the end)',
        runs_recorded: 0,
        started_at: 'string',
      },
      {
        id: 'running',
        status: 'incomplete',
        reason: 'no summary.json yet (running, or stopped before the end)',
        runs_recorded: 3,
        started_at: 'string',
      },
      {
        id: 'torn',
        status: 'incomplete',
        reason: expect.stringMatching(/^summary\.json is not JSON: /),
        runs_recorded: 7,
        started_at: 'string',
      },
      {
        id: 'wrong',
        status: 'incomplete',
        reason: expect.stringMatching(/^summary\.json does not match the contract: .*started_at/),
        runs_recorded: 0,
        started_at: 'string',
      },
    ]);
    for (const entry of incomplete) expect(Date.parse(entry.started_at)).toBeGreaterThan(Date.parse('2025-01-02'));
  });

  it('reads output_directory from configs/simulation.yaml', async () => {
    const { root } = scaffold();
    writeFiles(root, { 'configs/simulation.yaml': 'output_directory: out/runs\nrunner:\n  target: ./agent.ts:run\n' });
    writeExperiment(root, 'ignored', { summary: summary('ignored', '2025-01-01T00:00:00.000Z') });
    const target = path.join(root, 'out/runs/exp-1');
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'summary.json'), JSON.stringify(summary('exp-1', '2025-05-05T00:00:00.000Z')));
    expect((await status(root)).experiments).toEqual({
      directory: 'out/runs',
      total: 1,
      recent: [finished('exp-1', '2025-05-05T00:00:00.000Z')],
    });
  });
});

describe('getProjectStatus: recording', () => {
  it('lists recordings with line counts (not .gitkeep), the replay file wherever it is', async () => {
    const { root } = scaffold();
    writeFiles(root, {
      'recordings/args_recording.jsonl': '{"function":"run","args":["a"]}\n{"function":"run","args":["b"]}\n',
      'recordings/old/first.jsonl': '{"function":"run","args":["c"]}',
      'data/replay.jsonl': '{}\n{}\n{}\n',
      'configs/simulation.yaml':
        'runner:\n  target: ./agent.ts:run\nreplay_args:\n  enabled: true\n  recording_file: data/replay.jsonl\n' +
        '  override_param_path: args.0\n  function: run\n',
    });
    expect((await status(root)).recording).toEqual({
      record_args: { enabled: false, value: null, source: 'unset' },
      replay: { enabled: true, recording_file: 'data/replay.jsonl', function: 'run' },
      files: [
        { path: 'recordings/args_recording.jsonl', lines: 2, bytes: 64, replay: false },
        { path: 'recordings/old/first.jsonl', lines: 1, bytes: 31, replay: false },
        { path: 'data/replay.jsonl', lines: 3, bytes: 9, replay: true },
      ],
    });
  });

  it('FLUXLOOP_RECORD_ARGS comes from the environment first, then the project .env', async () => {
    const { root } = scaffold();
    writeFiles(root, { '.env': 'FLUXLOOP_RECORD_ARGS=yes\n' });
    expect((await status(root)).recording.record_args).toEqual({ enabled: true, value: 'yes', source: '.env' });
    expect((await status(root, { FLUXLOOP_RECORD_ARGS: 'false' })).recording.record_args).toEqual({
      enabled: false,
      value: 'false',
      source: 'environment',
    });
    expect((await status(root, { FLUXLOOP_RECORD_ARGS: 'maybe' })).recording.record_args).toEqual({
      enabled: false,
      value: 'maybe',
      source: 'environment',
      problem: 'not a boolean: use true or false (also 1/0, yes/no)',
    });
  });
});

describe('getProjectStatus: configs, inputs and targets', () => {
  it('invalid configs are reported, and what is valid is still shown', async () => {
    const { root } = scaffold();
    writeFiles(root, { 'configs/simulation.yaml': 'iterations: 0\nrunner:\n  target: ./agent.ts:run\n' });
    writeExperiment(root, 'exp-1', { summary: summary('exp-1', '2025-01-01T00:00:00.000Z') });
    const result = await status(root);
    expect(result.configs).toEqual({
      valid: false,
      files: ['configs/project.yaml', 'configs/input.yaml', 'configs/simulation.yaml', 'configs/evaluation.yaml'],
      issues: ['configs/simulation.yaml:1:13: iterations: must be >= 1, got 0'],
    });
    expect(result.target).toBeNull();
    expect(result.recording.replay).toBeNull();
    expect(result.inputs).toEqual({ count: 11, source: 'base_inputs' });
    expect(result.experiments.recent.map((e) => e.id)).toEqual(['exp-1']);
  });

  it('an invalid input.yaml leaves no inputs, saying why', async () => {
    const { root } = scaffold();
    writeFiles(root, { 'configs/input.yaml': 'personas: 3\n' });
    const result = await status(root);
    expect(result.inputs).toEqual({ count: 0, source: 'none', problem: 'configs/input.yaml is invalid' });
    expect(result.project.name).toBe('my-agent');
  });

  it('generated inputs are counted from their file', async () => {
    const { root } = scaffold();
    writeFiles(root, { 'inputs/generated.yaml': 'inputs:\n  - input: a\n  - input: b\n  - input: c\n' });
    expect((await status(root)).inputs).toEqual({ count: 3, source: 'file', file: 'inputs/generated.yaml' });
  });

  it('HTTP and process targets are described as configured, credentials in URLs left out', async () => {
    const { root } = scaffold();
    writeFiles(root, { 'configs/simulation.yaml': 'runner:\n  http:\n    url: https://bot:pw@example.test/chat\n' });
    expect((await status(root)).target).toEqual({ kind: 'http', description: 'POST https://example.test/chat' });
    writeFiles(root, {
      'configs/simulation.yaml': 'runner:\n  process:\n    command: python\n    args: [agent.py, -q]\n',
    });
    expect((await status(root)).target).toEqual({ kind: 'process', description: 'python agent.py -q' });
  });
});
