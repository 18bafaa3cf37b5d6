import { type ExperimentEntry, getProjectStatus, type ProjectStatus } from '@fluxloop/core';
import { type Command, InvalidArgumentError } from 'commander';
import { type CommandContext, withProjectOption } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { type Style, styleFor } from '../style.js';
import { alignColumns } from './doctor.js';

export interface StatusCommandOptions {
  json?: boolean;
  project?: string;
  limit: number;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return n;
}

/** `fluxloop status`: the project, its recordings and recent experiments. */
export function registerStatus(program: Command, ctx: CommandContext): void {
  const command = program
    .command('status')
    .description('show the project, its configs, inputs, target, recordings and recent experiments')
    .option('--json', 'print the status as JSON on stdout')
    .option('--limit <n>', 'how many of the newest experiments to list', positiveInteger, 5);
  withProjectOption(command).action((options: StatusCommandOptions) => ctx.run(statusCommand(options, ctx.io)));
}

export async function statusCommand(options: StatusCommandOptions, io: Io): Promise<number> {
  const status = await getProjectStatus({
    cwd: io.cwd,
    env: io.env,
    limit: options.limit,
    ...(options.project !== undefined ? { projectDir: options.project } : {}),
  });
  io.out(options.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status, styleFor(io)));
  return ExitCode.ok;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderStatus(status: ProjectStatus, style: Style): string {
  const out: string[] = [];
  const field = (label: string, value: string) => out.push(`${style.bold(label.padEnd(11))}${value}`);
  field('Project', `${status.project.name ?? '(configs/project.yaml is invalid)'}  ${style.dim(status.project.root)}`);
  const { configs } = status;
  field(
    'Configs',
    configs.valid
      ? style.green(`valid (${configs.files.join(', ')})`)
      : style.red(`${plural(configs.issues.length, 'problem')} (run fluxloop doctor)`),
  );
  for (const issue of configs.issues) out.push(`           ${issue}`);
  field('Inputs', describeInputs(status.inputs, style));
  field('Target', status.target ? `${status.target.kind} ${status.target.description}` : style.dim('none configured'));
  describeRecording(status.recording, style, field, out);
  out.push('');
  const { experiments } = status;
  const shown = experiments.recent.length < experiments.total ? `, newest ${experiments.recent.length}` : '';
  out.push(style.bold(`Experiments in ${experiments.directory}/ (${experiments.total} in total${shown})`));
  if (experiments.total === 0) out.push(`  ${style.dim('none yet: fluxloop run experiment')}`);
  else out.push(...experimentTable(experiments.recent, style));
  return `${out.join('\n')}\n`;
}

function describeInputs(inputs: ProjectStatus['inputs'], style: Style): string {
  if (inputs.source === 'none') return style.red(`none: ${inputs.problem}`);
  const count = plural(inputs.count, 'entry').replace(/entrys$/, 'entries');
  return inputs.source === 'file' ? `${count} from ${inputs.file}` : `${count} from base_inputs x personas`;
}

function describeRecording(
  recording: ProjectStatus['recording'],
  style: Style,
  field: (label: string, value: string) => void,
  out: string[],
) {
  const args = recording.record_args;
  const state = args.problem
    ? style.red(`FLUXLOOP_RECORD_ARGS=${args.value} (${args.source}): ${args.problem}`)
    : args.value === null
      ? 'off (FLUXLOOP_RECORD_ARGS unset)'
      : `${args.enabled ? style.green('on') : 'off'} (FLUXLOOP_RECORD_ARGS=${args.value} in ${args.source})`;
  const replay = recording.replay
    ? `replay ${recording.replay.enabled ? style.green('on') : 'off'} (${recording.replay.recording_file})`
    : 'replay unknown (configs/simulation.yaml missing or invalid)';
  field('Recording', `${state}; ${replay}`);
  if (recording.files.length === 0) out.push(`           ${style.dim('no recordings yet')}`);
  const rows = recording.files.map((f) => [
    f.path,
    plural(f.lines, 'line'),
    bytes(f.bytes),
    f.replay ? '(replay file)' : '',
  ]);
  for (const line of alignColumns(rows)) out.push(`           ${line}`);
}

function experimentTable(entries: ExperimentEntry[], style: Style): string[] {
  const header = ['ID', 'STATUS', 'STARTED', 'RUNS', 'SUCCESS', 'P50', 'P95', 'TOKENS'];
  const rows = entries.map((e) =>
    e.status === 'incomplete'
      ? [e.id, e.status, time(e.started_at), String(e.runs_recorded), e.reason]
      : [
          e.id,
          e.status,
          time(e.started_at),
          String(e.runs),
          `${(e.success_rate * 100).toFixed(1)}%`,
          duration(e.p50_ms),
          duration(e.p95_ms),
          e.token_usage.total_tokens.toLocaleString('en-US'),
        ],
  );
  const colour = { completed: style.green, interrupted: style.yellow, incomplete: style.dim } as const;
  return alignColumns([header, ...rows], (cell, r, column) => {
    if (r === 0) return style.bold(cell);
    return column === 1 ? colour[entries[r - 1]!.status](cell) : cell;
  }).map((line) => `  ${line}`);
}

export function time(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function duration(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
