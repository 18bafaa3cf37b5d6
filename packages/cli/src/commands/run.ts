import path from 'node:path';
import { type ExperimentOverrides, runExperiment } from '@fluxloop/core';
import { type Command, InvalidArgumentError } from 'commander';
import { type CommandContext, openProject, withProjectOption } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { RunProgress } from '../progress.js';
import { summaryText } from '../render-run.js';
import { styleFor } from '../style.js';

export interface RunExperimentFlags {
  project?: string;
  iterations?: number;
  concurrency?: number;
  timeout?: number;
  retries?: number;
  otlpPort?: number;
  name?: string;
  outputDir?: string;
  failOnErrors?: boolean;
  verbose?: boolean;
  json?: boolean;
}

function integerIn(min: number, max: number, what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new InvalidArgumentError(`expected ${what}`);
    return n;
  };
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError('expected a number of seconds above 0');
  }
  return n;
}

function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a non-empty value');
  return value;
}

/** `fluxloop run experiment`: flags override configs/simulation.yaml for this experiment only. */
export function registerRun(program: Command, ctx: CommandContext): void {
  const run = program.command('run').description('run the agent over inputs');
  withProjectOption(
    run
      .command('experiment')
      .description('run the target over input entries × iterations and write an experiment folder')
      .option(
        '--iterations <n>',
        'times each input entry runs (default: iterations)',
        integerIn(1, 1e9, 'an integer of at least 1'),
      )
      .option(
        '--concurrency <n>',
        'runs in flight at once (default: concurrency)',
        integerIn(1, 1024, 'an integer from 1 to 1024'),
      )
      .option('--timeout <seconds>', 'time limit of one run attempt (default: timeout_seconds)', seconds)
      .option(
        '--retries <n>',
        'extra attempts for a failed run (default: retries)',
        integerIn(0, 10, 'an integer from 0 to 10'),
      )
      .option(
        '--otlp-port <port>',
        'port of the OTLP receiver for HTTP and process targets; 0 picks a free one (default: runner.otlp_port)',
        integerIn(0, 65535, 'a port from 0 to 65535'),
      )
      .option('--name <name>', 'experiment name (default: name, else the project name)', nonEmpty)
      .option(
        '--output-dir <dir>',
        'folder for experiment folders, relative to the current directory (default: output_directory)',
      )
      .option('--fail-on-errors', 'exit 1 when any run failed (default: fail_on_run_errors)')
      .option('--no-fail-on-errors', 'exit 0 even when runs failed')
      .option('--verbose', 'one line per finished run')
      .option('--json', "print summary.json's content on stdout"),
  ).action((flags: RunExperimentFlags) => ctx.run(runExperimentCommand(flags, ctx.io)));
}

function overridesFrom(flags: RunExperimentFlags, io: Io): ExperimentOverrides {
  const overrides: ExperimentOverrides = {};
  if (flags.iterations !== undefined) overrides.iterations = flags.iterations;
  if (flags.concurrency !== undefined) overrides.concurrency = flags.concurrency;
  if (flags.timeout !== undefined) overrides.timeoutSeconds = flags.timeout;
  if (flags.retries !== undefined) overrides.retries = flags.retries;
  if (flags.otlpPort !== undefined) overrides.otlpPort = flags.otlpPort;
  if (flags.name !== undefined) overrides.name = flags.name;
  // A flag's path is the user's, typed from where they stand; config paths are the project's.
  if (flags.outputDir !== undefined) overrides.outputDir = path.resolve(io.cwd, flags.outputDir);
  if (flags.failOnErrors !== undefined) overrides.failOnRunErrors = flags.failOnErrors;
  return overrides;
}

/**
 * Ctrl-C (or SIGTERM) once: stop starting runs and write what finished, status interrupted. Twice: exit at once
 * (every line already written is whole). Returns the function that removes the handlers.
 */
function onInterrupt(controller: AbortController): () => void {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) controller.abort();
    else process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}

export async function runExperimentCommand(flags: RunExperimentFlags, io: Io): Promise<number> {
  const project = openProject(io, flags);
  const style = styleFor(io);
  const progress = new RunProgress(io, style, { verbose: flags.verbose === true });
  const controller = new AbortController();
  const removeHandlers = onInterrupt(controller);
  try {
    const result = await runExperiment({
      project,
      overrides: overridesFrom(flags, io),
      signal: controller.signal,
      reporter: progress.reporter,
    });
    progress.finish();
    io.err(summaryText(result, io.cwd, style));
    if (flags.json) io.out(`${JSON.stringify(result.summary, null, 2)}\n`);
    if (result.summary.status === 'interrupted') return ExitCode.interrupted;
    if (result.summary.results.failed > 0 && result.failOnRunErrors) return ExitCode.gateFailed;
    return ExitCode.ok;
  } finally {
    progress.finish();
    removeHandlers();
  }
}
