import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runCli, runMain, tempDir } from './helpers/cli.js';

afterEach(cleanup);

async function project(): Promise<string> {
  const cwd = tempDir();
  expect((await runMain(['init', 'project', 'agent'], { cwd })).code).toBe(ExitCode.ok);
  return path.join(cwd, 'agent');
}

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');

const RECORDING = `${JSON.stringify({
  function: 'handle_message',
  args: [{ text: 'Where is my order?' }],
  kwargs: { message: 'Where is my order?', user_id: 'u1' },
  timestamp: '2026-11-23T10:30:00.123Z',
})}\n`;

describe('fluxloop record (the built binary)', () => {
  it('enable -> status -> disable --disable-replay round trip', async () => {
    const root = await project();
    const envBefore = read(root, '.env');
    const simulationBefore = read(root, 'configs/simulation.yaml');

    const enabled = await runCli(['record', 'enable'], { cwd: root });
    expect(enabled.code).toBe(ExitCode.ok);
    expect(enabled.stdout).toBe('');
    expect(enabled.stderr.split('\n')).toEqual([
      `Recording enabled in ${root}`,
      '  set  .env                     FLUXLOOP_RECORD_ARGS=true (was unset)',
      '  set  configs/simulation.yaml  replay_args.enabled: true (was false)',
      '',
      'Next steps:',
      '  Run your app from the project folder: agent() calls are appended to recordings/args_recording.jsonl',
      '  Then set replay_args.override_param_path, where each generated input goes in a recorded call ' +
        '(kwargs.message, args.0, args.0.text, ...):',
      '    npx fluxloop record enable --override-param-path PATH',
      '',
    ]);
    // Only the one line of .env and the one value of simulation.yaml changed.
    expect(read(root, '.env')).toBe(
      envBefore.replace('# FLUXLOOP_RECORD_ARGS=false\n', '# FLUXLOOP_RECORD_ARGS=false\nFLUXLOOP_RECORD_ARGS=true\n'),
    );
    expect(read(root, 'configs/simulation.yaml')).toBe(simulationBefore.replace('enabled: false', 'enabled: true'));

    fs.writeFileSync(path.join(root, 'recordings/args_recording.jsonl'), `${RECORDING}{broken\n`);
    const status = await runCli(['record', 'status'], { cwd: root });
    expect(status.code).toBe(ExitCode.ok);
    expect(status.stdout.split('\n')).toEqual([
      `Project    ${root}`,
      'Recording  on (FLUXLOOP_RECORD_ARGS=true in .env)',
      'Records to recordings/args_recording.jsonl (the default)',
      'Replay     on: recordings/args_recording.jsonl, override_param_path not set, every function',
      '',
      'Recordings (1 file)',
      '  FILE                             LINES  SIZE   RECORDS  MALFORMED  NEWEST                ROLE               FUNCTIONS',
      `  recordings/args_recording.jsonl  2      ${Buffer.byteLength(RECORDING) + 8} B  1        1          2026-11-23 10:30:00Z  recording, replay  handle_message: 1`,
      '',
    ]);
    expect(status.stderr.split('\n')).toEqual([
      'warning: replay is on but replay_args.override_param_path is not set: fluxloop run experiment needs it ' +
        '(fluxloop record enable --override-param-path PATH)',
      'warning: recordings/args_recording.jsonl: 1 malformed line (the first is line 2)',
      '',
    ]);

    const disabled = await runCli(['record', 'disable', '--disable-replay'], { cwd: root });
    expect(disabled.code).toBe(ExitCode.ok);
    expect(disabled.stderr).toContain('  set  configs/simulation.yaml  replay_args.enabled: false (was true)\n');
    expect(read(root, 'configs/simulation.yaml')).toBe(simulationBefore);
    expect(read(root, '.env')).toContain('\nFLUXLOOP_RECORD_ARGS=false\n');

    const json = await runCli(['record', 'status', '--json'], { cwd: root });
    expect(json.code).toBe(ExitCode.ok);
    const report = JSON.parse(json.stdout);
    expect(report.record_args).toEqual({
      enabled: false,
      value: 'false',
      source: '.env',
      dotenv: 'false',
      environment: null,
    });
    expect(report.replay).toEqual({
      enabled: false,
      recording_file: 'recordings/args_recording.jsonl',
      override_param_path: null,
      function: null,
    });
    expect(report.files[0]).toMatchObject({ records: 1, malformed: 1, functions: { handle_message: 1 } });
  });

  it('enable suggests paths from an existing recording and warns about the environment', async () => {
    const root = await project();
    fs.writeFileSync(path.join(root, 'recordings/args_recording.jsonl'), RECORDING);
    const r = await runCli(['record', 'enable'], { cwd: root, env: { FLUXLOOP_RECORD_ARGS: '0' } });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stderr).toContain(
      'warning: FLUXLOOP_RECORD_ARGS=0 is set in the environment, and the environment wins over .env for the SDK',
    );
    expect(r.stderr).toContain(
      [
        '  Set replay_args.override_param_path, where each generated input goes in a recorded call:',
        '    npx fluxloop record enable --override-param-path kwargs.message',
        '  Text values in the newest recording (recordings/args_recording.jsonl:1, handle_message at ' +
          '2026-11-23T10:30:00.123Z) are at:',
        '    kwargs.message',
        '    args.0.text',
        '    kwargs.user_id',
        '',
      ].join('\n'),
    );
    const status = await runCli(['record', 'status', '--json'], { cwd: root, env: { FLUXLOOP_RECORD_ARGS: '0' } });
    expect(JSON.parse(status.stdout).record_args).toMatchObject({
      enabled: false,
      source: 'environment',
      dotenv: 'true',
    });
    expect(status.stderr).toContain(
      'warning: FLUXLOOP_RECORD_ARGS=0 in the environment wins over FLUXLOOP_RECORD_ARGS=true in .env for the SDK',
    );
  });
});

describe('fluxloop record (in-process)', () => {
  it('invalid YAML in simulation.yaml: exit 2 naming file:line, nothing written', async () => {
    const root = await project();
    fs.appendFileSync(path.join(root, 'configs/simulation.yaml'), '\n  bad: [\n');
    const envBefore = read(root, '.env');
    const r = await runMain(['record', 'enable', '--override-param-path', 'args.0'], { cwd: root });
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(
      /^fluxloop: cannot edit configs\/simulation\.yaml: it is not valid YAML, so nothing was written:\n {2}configs\/simulation\.yaml:\d+:\d+: YAML syntax: /,
    );
    expect(read(root, '.env')).toBe(envBefore);
  });

  it('--recording-file and --override-param-path; disable keeps replay on without --disable-replay', async () => {
    const root = await project();
    const r = await runMain(
      ['record', 'enable', '--recording-file', 'recordings/support.jsonl', '--override-param-path', 'args.0'],
      { cwd: root },
    );
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toContain(
      '  set  .env                     FLUXLOOP_RECORDING_FILE=recordings/support.jsonl (was unset)',
    );
    expect(r.err).toContain(
      '  set  configs/simulation.yaml  replay_args.recording_file: recordings/support.jsonl ' +
        '(was recordings/args_recording.jsonl)',
    );
    expect(r.err).toContain('  npx fluxloop run experiment   # replays recordings/support.jsonl');
    expect(read(root, 'configs/simulation.yaml')).toMatch(
      /\n {2}recording_file: recordings\/support\.jsonl\n {2}# override_param_path: args\.0\n {2}override_param_path: args\.0\n$/,
    );
    const d = await runMain(['record', 'disable'], { cwd: root });
    expect(d.code).toBe(ExitCode.ok);
    expect(d.err.split('\n').slice(1)).toEqual([
      '  set  .env  FLUXLOOP_RECORD_ARGS=false (was true)',
      'Replay stays on (replay_args.enabled: true in configs/simulation.yaml); --disable-replay turns it off.',
      '',
    ]);
  });

  it('status: exit 2 on a configuration problem, still printing the status; outside a project exit 2', async () => {
    const root = await project();
    fs.writeFileSync(path.join(root, '.env'), 'FLUXLOOP_RECORD_ARGS=sometimes\n');
    const r = await runMain(['record', 'status', '--json'], { cwd: root });
    expect(r.code).toBe(ExitCode.usage);
    expect(JSON.parse(r.out).problems).toEqual([
      'FLUXLOOP_RECORD_ARGS=sometimes (.env): not a boolean: use true or false (also 1/0, yes/no)',
    ]);
    expect(r.err).toBe(
      'fluxloop: FLUXLOOP_RECORD_ARGS=sometimes (.env): not a boolean: use true or false (also 1/0, yes/no)\n',
    );
    const outside = await runMain(['record', 'status'], { cwd: tempDir() });
    expect(outside.code).toBe(ExitCode.usage);
    expect(outside.err).toMatch(/^fluxloop: no FluxLoop project here/);
  });
});
