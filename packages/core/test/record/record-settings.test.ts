import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, disableRecording, enableRecording, UserError } from '../../src/index.js';
import { tempProject } from '../helpers/project.js';

const SIMULATION = `runner:
  target: ./agent.ts:run  # the agent
# Replay recorded calls.
replay_args:
  enabled: false
  recording_file: recordings/args_recording.jsonl
`;

const CALL = (fn: string, message: string, timestamp: string) =>
  JSON.stringify({ function: fn, args: [{ text: message, n: 1 }], kwargs: { message, 'a.b': 'x' }, timestamp });

function project(files: Record<string, string> = {}): string {
  return tempProject({ 'configs/project.yaml': 'name: demo\n', 'configs/simulation.yaml': SIMULATION, ...files });
}

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('enableRecording', () => {
  it('creates .env, turns replay on, and running it again changes no byte', async () => {
    const root = project();
    fs.chmodSync(path.join(root, 'configs/simulation.yaml'), 0o640);
    const result = await enableRecording({ cwd: root, env: {} });
    expect(read(root, '.env')).toBe('FLUXLOOP_RECORD_ARGS=true\n');
    expect(read(root, 'configs/simulation.yaml')).toBe(SIMULATION.replace('enabled: false', 'enabled: true'));
    expect(fs.statSync(path.join(root, 'configs/simulation.yaml')).mode & 0o777).toBe(0o640);
    expect(result).toMatchObject({
      root,
      changes: [
        { file: '.env', setting: 'FLUXLOOP_RECORD_ARGS', value: 'true', previous: null, changed: true },
        {
          file: 'configs/simulation.yaml',
          setting: 'replay_args.enabled',
          value: 'true',
          previous: 'false',
          changed: true,
        },
      ],
      files: [
        { path: 'configs/simulation.yaml', action: 'updated' },
        { path: '.env', action: 'created' },
      ],
      warnings: [],
      replay: {
        enabled: true,
        recording_file: 'recordings/args_recording.jsonl',
        override_param_path: null,
        function: null,
      },
      records_to: { path: 'recordings/args_recording.jsonl', source: 'default' },
      suggestions: { candidates: [], from: null },
    });
    expect(fs.readdirSync(path.join(root, 'configs'))).toEqual(['project.yaml', 'simulation.yaml']);
    const before = [read(root, '.env'), read(root, 'configs/simulation.yaml')];
    const again = await enableRecording({ cwd: root, env: {} });
    expect([read(root, '.env'), read(root, 'configs/simulation.yaml')]).toEqual(before);
    expect(again.files.map((f) => f.action)).toEqual(['unchanged', 'unchanged']);
  });

  it('--recording-file sets the replay file and FLUXLOOP_RECORDING_FILE alike; --override-param-path its path', async () => {
    const root = project({ '.env': '# keep\r\nOPENAI_API_KEY=sk-1\r\n', 'src/.keep': '' });
    const result = await enableRecording({
      cwd: path.join(root, 'src'),
      env: {},
      recordingFile: '../recordings/support.jsonl',
      overrideParamPath: 'kwargs.message',
    });
    expect(read(root, '.env')).toBe(
      '# keep\r\nOPENAI_API_KEY=sk-1\r\nFLUXLOOP_RECORD_ARGS=true\r\nFLUXLOOP_RECORDING_FILE=recordings/support.jsonl\r\n',
    );
    expect(read(root, 'configs/simulation.yaml')).toBe(
      SIMULATION.replace('enabled: false', 'enabled: true').replace('args_recording', 'support') +
        '  override_param_path: kwargs.message\n',
    );
    expect(result.warnings).toEqual([]);
    expect(result.suggestions).toBeUndefined();
  });

  it('suggests override_param_path values from the newest recording of replay_args.function', async () => {
    const recording = [
      CALL('handle_message', 'old', '2026-11-23T10:30:00.000Z'),
      'not json',
      CALL('handle_message', 'new', '2026-11-24T08:00:00.000Z'),
      CALL('other', 'newest', '2026-11-25T08:00:00.000Z'),
      '',
    ].join('\n');
    const root = project({ 'recordings/args_recording.jsonl': recording });
    fs.appendFileSync(path.join(root, 'configs/simulation.yaml'), '  function: handle_message\n');
    const result = await enableRecording({ cwd: root, env: {} });
    expect(result.suggestions).toEqual({
      candidates: ['kwargs.message', 'args.0.text'],
      from: {
        file: 'recordings/args_recording.jsonl',
        line: 3,
        function: 'handle_message',
        timestamp: '2026-11-24T08:00:00.000Z',
      },
    });
  });

  it('warns when override_param_path does not resolve in the newest recording', async () => {
    const root = project({ 'recordings/args_recording.jsonl': `${CALL('f', 'hi', '2026-01-01T00:00:00Z')}\n` });
    const result = await enableRecording({ cwd: root, env: {}, overrideParamPath: 'kwargs.msg' });
    expect(result.warnings).toEqual([
      'override_param_path kwargs.msg does not resolve in the newest recording (recordings/args_recording.jsonl:1); ' +
        'its string values are at: kwargs.message, args.0.text',
    ]);
    expect(result.suggestions).toBeUndefined();
  });

  it('warns when the real environment overrides .env, or the SDK records elsewhere than replay reads', async () => {
    const root = project({ '.env': 'FLUXLOOP_RECORDING_FILE=recordings/other.jsonl\n' });
    const result = await enableRecording({ cwd: root, env: { FLUXLOOP_RECORD_ARGS: 'false' } });
    expect(result.warnings).toEqual([
      'FLUXLOOP_RECORD_ARGS=false is set in the environment, and the environment wins over .env for the SDK: ' +
        'unset it (or set it to true) where your app starts, or nothing is recorded',
      'the SDK records to recordings/other.jsonl (FLUXLOOP_RECORDING_FILE in .env) but replay_args.recording_file ' +
        'is recordings/args_recording.jsonl: fluxloop record enable --recording-file PATH sets both',
    ]);
    expect((await enableRecording({ cwd: root, env: { FLUXLOOP_RECORD_ARGS: '1' } })).warnings).toHaveLength(1);
  });

  it('invalid YAML, a missing simulation.yaml or a bad path: an error, and nothing is written', async () => {
    const invalid = project({ 'configs/simulation.yaml': 'runner:\n  target: x\n  bad: [\n' });
    const error = await enableRecording({ cwd: invalid, env: {} }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/\n {2}configs\/simulation\.yaml:4:1: YAML syntax: /);
    expect(fs.existsSync(path.join(invalid, '.env'))).toBe(false);

    const missing = tempProject({ 'configs/project.yaml': 'name: demo\n', '.env': 'A=1\n' });
    await expect(enableRecording({ cwd: missing, env: {} })).rejects.toThrow(
      /this command sets replay_args in configs\/simulation\.yaml:\n {2}configs\/simulation\.yaml: is missing/,
    );
    expect(read(missing, '.env')).toBe('A=1\n');

    const root = project();
    await expect(enableRecording({ cwd: root, env: {}, overrideParamPath: 'kwargs..x' })).rejects.toThrow(UserError);
    await expect(enableRecording({ cwd: root, env: {}, recordingFile: 'configs' })).rejects.toThrow(
      /recording file "configs" must name a file/,
    );
    expect(fs.existsSync(path.join(root, '.env'))).toBe(false);
  });
});

describe('disableRecording', () => {
  it('sets FLUXLOOP_RECORD_ARGS=false and leaves replay alone unless asked', async () => {
    const root = project({ '.env': 'export FLUXLOOP_RECORD_ARGS=true # on\n' });
    await enableRecording({ cwd: root, env: {} });
    const result = await disableRecording({ cwd: root, env: {} });
    expect(read(root, '.env')).toBe('export FLUXLOOP_RECORD_ARGS=false # on\n');
    expect(read(root, 'configs/simulation.yaml')).toContain('enabled: true');
    expect(result.replay?.enabled).toBe(true);
    expect(result.files).toEqual([{ path: '.env', action: 'updated' }]);

    const off = await disableRecording({ cwd: root, env: { FLUXLOOP_RECORD_ARGS: 'true' }, disableReplay: true });
    expect(read(root, 'configs/simulation.yaml')).toBe(SIMULATION);
    expect(off.changes.map((c) => [c.setting, c.changed])).toEqual([
      ['FLUXLOOP_RECORD_ARGS', false],
      ['replay_args.enabled', true],
    ]);
    expect(off.warnings).toEqual([
      'FLUXLOOP_RECORD_ARGS=true is set in the environment, and the environment wins over .env for the SDK: ' +
        'unset it where your app starts, or recording goes on',
    ]);
  });
});
