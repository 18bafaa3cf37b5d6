import { InterruptedError, UserError } from '@fluxloop/core';
import { Command, CommanderError } from 'commander';
import { registerCollector } from './commands/collector.js';
import { registerDoctor } from './commands/doctor.js';
import { registerGenerate } from './commands/generate.js';
import { registerInit } from './commands/init.js';
import { registerRecord } from './commands/record.js';
import { registerRun } from './commands/run.js';
import { registerStatus } from './commands/status.js';
import type { CommandContext } from './context.js';
import { CliError, ExitCode } from './exit-codes.js';
import { type Io, processIo } from './io.js';
import { VERSION } from './version.js';

export { CliError, ExitCode } from './exit-codes.js';
export type { Io } from './io.js';

/**
 * Runs the CLI and resolves with its exit code: 0 ok, 1 a quality gate failed, 2 usage or configuration error,
 * 3 internal error, 130 interrupted. Never calls process.exit itself, so it can be run in-process by tests.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = new Command('fluxloop')
    .description('FluxLoop: see what your AI agents do, and test them at scale')
    .version(VERSION, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run fluxloop --help for usage)');
  const ctx: CommandContext = {
    io,
    run: (work) => {
      pending = work;
    },
  };
  registerInit(program, ctx);
  registerGenerate(program, ctx);
  registerRun(program, ctx);
  registerDoctor(program, ctx);
  registerStatus(program, ctx);
  registerRecord(program, ctx);
  registerCollector(program, io, ctx.run);
  try {
    await program.parseAsync(argv);
    return pending ? await pending : ExitCode.ok;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}

function exitCodeFor(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (err instanceof CliError) {
    io.err(`fluxloop: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof UserError) {
    io.err(`fluxloop: ${err.message}\n`);
    return ExitCode.usage;
  }
  if (err instanceof InterruptedError) {
    io.err(`fluxloop: ${err.message}\n`);
    return ExitCode.interrupted;
  }
  io.err(`fluxloop: internal error: ${(err as Error)?.stack ?? err}\n`);
  return ExitCode.internal;
}
