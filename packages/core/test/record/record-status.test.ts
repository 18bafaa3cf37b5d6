import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  candidatePaths,
  getRecordingStatus,
  ProjectNotFoundError,
  parseRecordedCall,
  resolvesIn,
  scanRecording,
} from '../../src/index.js';
import { tempProject } from '../helpers/project.js';

const SIMULATION =
  'runner:\n  target: ./agent.ts:run\nreplay_args:\n  enabled: true\n  recording_file: replay/calls.jsonl\n';
/** A recording line; without a time given, an old one (every line has a timestamp, as replay requires). */
const line = (fn: string, timestamp = '2000-01-01T00:00:00Z') =>
  JSON.stringify({ function: fn, args: ['hi'], kwargs: {}, timestamp });

describe('scanRecording', () => {
  it('counts records per function, malformed lines and the newest timestamp (by time, not text); blank lines are neither', async () => {
    const root = tempProject({
      'r.jsonl': [
        line('a', '2026-11-23T10:30:00.123Z'),
        '',
        '{"function":"b","args":{}}',
        line('b', '2026-11-24T00:00:00+09:00'),
        '[1]',
        line('a'),
        '{"function":"a","timestamp":"yesterday"}',
        line('c', '2026-11-22T00:00:00Z'),
      ].join('\r\n'),
    });
    const scan = await scanRecording(path.join(root, 'r.jsonl'), { function: 'a' });
    expect(scan).toEqual({
      records: 4,
      malformed: 3,
      first_malformed_line: 3,
      functions: { a: 2, b: 1, c: 1 },
      newest_timestamp: '2026-11-24T00:00:00+09:00',
      newest: { call: JSON.parse(line('a', '2026-11-23T10:30:00.123Z')), line: 1 },
    });
  });

  it('what a line must be, the candidate paths of a call, and what a path resolves to', () => {
    const good = { function: 'f', args: [], kwargs: {}, timestamp: '2026-11-23T10:30:00.000Z' };
    expect(parseRecordedCall(JSON.stringify(good))).toEqual(good);
    // What replay refuses, status counts as malformed too: the same rules.
    for (const bad of [
      '{}',
      '{"function":""}',
      '{"function":"f"}',
      '{"function":"f","args":[],"kwargs":[],"timestamp":"2026-11-23T10:30:00Z"}',
      '{"function":"f","args":[],"kwargs":{},"timestamp":"yesterday"}',
      'null',
      '{"function":1}',
    ]) {
      expect(parseRecordedCall(bad)).toBeUndefined();
    }
    const call = {
      function: 'f',
      timestamp: '2026-11-23T10:30:00.000Z',
      args: [{ user: { name: 'x' }, text: 'hello' }, 3],
      kwargs: { session_id: 's', user_message: 'hi', 'has.dot': 'x', list: ['a'] },
    };
    expect(candidatePaths(call)).toEqual([
      'kwargs.user_message',
      'args.0.text',
      'args.0.user.name',
      'kwargs.session_id',
      'kwargs.list.0',
    ]);
    expect(resolvesIn(call, 'args.0.text')).toBe(true);
    expect(resolvesIn(call, 'kwargs.user_message')).toBe(true);
    expect(resolvesIn(call, 'user_message')).toBe(true);
    expect(resolvesIn(call, 'args.2')).toBe(false);
    expect(resolvesIn(call, 'kwargs.message')).toBe(false);
  });
});

describe('getRecordingStatus', () => {
  it('reports both settings, every recording file and what it holds', async () => {
    const root = tempProject({
      'configs/project.yaml': 'name: demo\n',
      'configs/simulation.yaml': SIMULATION,
      '.env': 'FLUXLOOP_RECORD_ARGS=true\nFLUXLOOP_RECORDING_FILE=replay/calls.jsonl\n',
      'recordings/.gitkeep': '',
      'recordings/old.jsonl': `${line('handle_message', '2026-11-23T10:30:00.123Z')}\noops\n`,
      'replay/calls.jsonl': `${line('a', '2026-01-01T00:00:00Z')}\n${line('a')}\n${line('b')}`,
    });
    const status = await getRecordingStatus({ cwd: root, env: { FLUXLOOP_RECORD_ARGS: 'no' } });
    expect(status).toEqual({
      root,
      record_args: { enabled: false, value: 'no', source: 'environment', dotenv: 'true', environment: 'no' },
      recording_file: { path: 'replay/calls.jsonl', source: '.env' },
      replay: { enabled: true, recording_file: 'replay/calls.jsonl', override_param_path: null, function: null },
      files: [
        {
          path: 'recordings/old.jsonl',
          lines: 2,
          bytes: fs.statSync(path.join(root, 'recordings/old.jsonl')).size,
          replay: false,
          sdk_writes: false,
          records: 1,
          malformed: 1,
          first_malformed_line: 2,
          functions: { handle_message: 1 },
          newest_timestamp: '2026-11-23T10:30:00.123Z',
        },
        {
          path: 'replay/calls.jsonl',
          lines: 3,
          bytes: fs.statSync(path.join(root, 'replay/calls.jsonl')).size,
          replay: true,
          sdk_writes: true,
          records: 3,
          malformed: 0,
          first_malformed_line: null,
          functions: { a: 2, b: 1 },
          newest_timestamp: '2026-01-01T00:00:00Z',
        },
      ],
      problems: [],
      warnings: [
        'FLUXLOOP_RECORD_ARGS=no in the environment wins over FLUXLOOP_RECORD_ARGS=true in .env for the SDK',
        'replay is on but replay_args.override_param_path is not set: fluxloop run experiment needs it ' +
          '(fluxloop record enable --override-param-path PATH)',
        'recordings/old.jsonl: 1 malformed line (the first is line 2)',
      ],
    });
  });

  it('the file the SDK writes is listed wherever it is; configuration problems are reported, not thrown', async () => {
    const root = tempProject({
      'configs/project.yaml': 'name: demo\n',
      'configs/simulation.yaml': 'runner:\n  target: x\nreplay_args:\n  enabled: maybe\n',
      'elsewhere/rec.jsonl': `${line('a')}\n`,
    });
    const status = await getRecordingStatus({
      cwd: root,
      env: { FLUXLOOP_RECORD_ARGS: 'sure', FLUXLOOP_RECORDING_FILE: 'elsewhere/rec.jsonl' },
    });
    expect(status.replay).toBeNull();
    expect(status.files.map((f) => [f.path, f.sdk_writes, f.records])).toEqual([['elsewhere/rec.jsonl', true, 1]]);
    expect(status.problems).toEqual([
      'configs/simulation.yaml:4:12: replay_args.enabled: expected true or false, got a string ("maybe")',
      'FLUXLOOP_RECORD_ARGS=sure (environment): not a boolean: use true or false (also 1/0, yes/no)',
    ]);
  });

  it('outside a project it is a ProjectNotFoundError', async () => {
    await expect(getRecordingStatus({ cwd: tempProject({}), env: {} })).rejects.toThrow(ProjectNotFoundError);
  });
});
