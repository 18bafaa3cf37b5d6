import {
  disableRecording,
  enableRecording,
  getRecordingStatus,
  type RecordEditResult,
  type RecordingReport,
  type SettingChange,
} from '@fluxloop/core';
import type { Command } from 'commander';
import { type CommandContext, withProjectOption } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { type Style, styleFor } from '../style.js';
import { alignColumns } from './doctor.js';
import { bytes, time } from './status.js';

export interface RecordEnableOptions {
  project?: string;
  recordingFile?: string;
  overrideParamPath?: string;
}

export interface RecordDisableOptions {
  project?: string;
  disableReplay?: boolean;
}

export interface RecordStatusOptions {
  project?: string;
  json?: boolean;
}

/** `fluxloop record enable | disable | status`: recording of agent calls, and their replay in experiments. */
export function registerRecord(program: Command, ctx: CommandContext): void {
  const record = program
    .command('record')
    .description('record the arguments of agent calls (FLUXLOOP_RECORD_ARGS) and replay them in experiments');
  withProjectOption(
    record
      .command('enable')
      .description('set FLUXLOOP_RECORD_ARGS=true in .env and replay_args.enabled: true in configs/simulation.yaml')
      .option('--recording-file <path>', 'record to and replay this file (FLUXLOOP_RECORDING_FILE, recording_file)')
      .option('--override-param-path <path>', 'where each input goes in a recorded call: kwargs.message, args.0, ...'),
  ).action((options: RecordEnableOptions) => ctx.run(recordEnable(options, ctx.io)));
  withProjectOption(
    record
      .command('disable')
      .description('set FLUXLOOP_RECORD_ARGS=false in .env')
      .option('--disable-replay', 'also set replay_args.enabled: false in configs/simulation.yaml'),
  ).action((options: RecordDisableOptions) => ctx.run(recordDisable(options, ctx.io)));
  withProjectOption(
    record
      .command('status')
      .description('show the recording settings and the recordings (line counts, functions, newest, malformed lines)')
      .option('--json', 'print the status as JSON on stdout'),
  ).action((options: RecordStatusOptions) => ctx.run(recordStatus(options, ctx.io)));
}

const where = (io: Io, project: string | undefined) => ({
  cwd: io.cwd,
  env: io.env,
  ...(project !== undefined ? { projectDir: project } : {}),
});

export async function recordEnable(options: RecordEnableOptions, io: Io): Promise<number> {
  const result = await enableRecording({
    ...where(io, options.project),
    ...(options.recordingFile !== undefined ? { recordingFile: options.recordingFile } : {}),
    ...(options.overrideParamPath !== undefined ? { overrideParamPath: options.overrideParamPath } : {}),
  });
  const style = styleFor(io);
  const out = [`${style.bold('Recording enabled')} in ${result.root}`, ...changeLines(result, style)];
  out.push(...result.warnings.map((w) => `${style.yellow('warning:')} ${w}`));
  const replay = result.replay!;
  out.push('', style.bold('Next steps:'));
  out.push(`  Run your app from the project folder: agent() calls are appended to ${result.records_to!.path}`);
  if (result.suggestions) {
    const { candidates, from } = result.suggestions;
    const what = 'where each generated input goes in a recorded call';
    if (from && candidates.length) {
      const when = from.timestamp ? ` at ${from.timestamp}` : '';
      out.push(
        `  Set replay_args.override_param_path, ${what}:`,
        `    npx fluxloop record enable --override-param-path ${candidates[0]}`,
        `  Text values in the newest recording (${from.file}:${from.line}, ${from.function}${when}) are at:`,
        ...candidates.map((c) => `    ${c}`),
      );
    } else {
      out.push(
        `  Then set replay_args.override_param_path, ${what} (kwargs.message, args.0, args.0.text, ...):`,
        '    npx fluxloop record enable --override-param-path PATH',
      );
    }
  } else {
    out.push(`  npx fluxloop run experiment   ${style.dim(`# replays ${replay.recording_file}`)}`);
  }
  io.err(`${out.join('\n')}\n`);
  return ExitCode.ok;
}

export async function recordDisable(options: RecordDisableOptions, io: Io): Promise<number> {
  const result = await disableRecording({
    ...where(io, options.project),
    ...(options.disableReplay ? { disableReplay: true } : {}),
  });
  const style = styleFor(io);
  const out = [`${style.bold('Recording disabled')} in ${result.root}`, ...changeLines(result, style)];
  out.push(...result.warnings.map((w) => `${style.yellow('warning:')} ${w}`));
  if (!options.disableReplay && result.replay?.enabled) {
    out.push(`Replay stays on (replay_args.enabled: true in configs/simulation.yaml); --disable-replay turns it off.`);
  }
  io.err(`${out.join('\n')}\n`);
  return ExitCode.ok;
}

function changeLines(result: RecordEditResult, style: Style): string[] {
  const created = result.files.some((f) => f.path === '.env' && f.action === 'created');
  const rows = result.changes.map((c) => [
    c.changed ? (created && c.file === '.env' ? 'created' : 'set') : 'unchanged',
    c.file,
    describeChange(c),
  ]);
  return alignColumns(rows, (cell, r, column) =>
    column === 0 ? (result.changes[r]!.changed ? style.green(cell) : style.dim(cell)) : cell,
  ).map((line) => `  ${line}`);
}

function describeChange(change: SettingChange): string {
  const assign = (value: string) =>
    change.file === '.env' ? `${change.setting}=${value}` : `${change.setting}: ${value}`;
  if (!change.changed) return `${assign(change.previous ?? change.value)} (already set)`;
  return `${assign(change.value)} (was ${change.previous === null ? 'unset' : change.previous})`;
}

export async function recordStatus(options: RecordStatusOptions, io: Io): Promise<number> {
  const report = await getRecordingStatus(where(io, options.project));
  const style = styleFor(io);
  io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderRecordingStatus(report, style));
  for (const warning of report.warnings) io.err(`${style.yellow('warning:')} ${warning}\n`);
  for (const problem of report.problems) io.err(`fluxloop: ${problem}\n`);
  return report.problems.length ? ExitCode.usage : ExitCode.ok;
}

export function renderRecordingStatus(report: RecordingReport, style: Style): string {
  const out: string[] = [];
  const field = (label: string, value: string) => out.push(`${style.bold(label.padEnd(11))}${value}`);
  field('Project', report.root);
  const args = report.record_args;
  const onOff = (on: boolean) => (on ? style.green('on') : 'off');
  const overridden =
    args.source === 'environment' && args.dotenv !== null && args.dotenv !== args.value
      ? `; .env has ${args.dotenv}`
      : '';
  field(
    'Recording',
    args.problem
      ? style.red(`FLUXLOOP_RECORD_ARGS=${args.value} (${args.source}): ${args.problem}`)
      : args.value === null
        ? 'off (FLUXLOOP_RECORD_ARGS unset)'
        : `${onOff(args.enabled)} (FLUXLOOP_RECORD_ARGS=${args.value} in ${args.source}${overridden})`,
  );
  const file = report.recording_file;
  field(
    'Records to',
    `${file.path} (${file.source === 'default' ? 'the default' : `FLUXLOOP_RECORDING_FILE in ${file.source}`})`,
  );
  const replay = report.replay;
  field(
    'Replay',
    replay
      ? `${onOff(replay.enabled)}: ${replay.recording_file}, override_param_path ` +
          `${replay.override_param_path ?? style.yellow('not set')}, ` +
          `${replay.function ? `function ${replay.function}` : 'every function'}`
      : 'unknown (configs/simulation.yaml missing or invalid)',
  );
  out.push('', style.bold(`Recordings (${report.files.length} file${report.files.length === 1 ? '' : 's'})`));
  if (report.files.length === 0) {
    out.push(`  ${style.dim('none yet: run your app with recording on (fluxloop record enable)')}`);
    return `${out.join('\n')}\n`;
  }
  const header = ['FILE', 'LINES', 'SIZE', 'RECORDS', 'MALFORMED', 'NEWEST', 'ROLE', 'FUNCTIONS'];
  const rows = report.files.map((f) => [
    f.path,
    String(f.lines),
    bytes(f.bytes),
    String(f.records),
    String(f.malformed),
    f.newest_timestamp ? time(f.newest_timestamp) : '-',
    [f.sdk_writes ? 'recording' : '', f.replay ? 'replay' : ''].filter(Boolean).join(', ') || '-',
    Object.entries(f.functions)
      .map(([name, count]) => `${name}: ${count}`)
      .join(', ') || '-',
  ]);
  const lines = alignColumns([header, ...rows], (cell, r, column) => {
    if (r === 0) return style.bold(cell);
    return column === 4 && report.files[r - 1]!.malformed ? style.yellow(cell) : cell;
  });
  out.push(...lines.map((line) => `  ${line}`));
  return `${out.join('\n')}\n`;
}
