import { loadProject, type Project } from '@fluxloop/core';
import type { Command } from 'commander';
import type { Io } from './io.js';

/** What every command gets: where to write, and how to hand main() the promise of its exit code. */
export interface CommandContext {
  io: Io;
  /** Call from an action with the command's work; main() awaits it and maps errors to exit codes. */
  run(work: Promise<number>): void;
}

/** Adds `--project <dir>` to a command that works inside a project. */
export function withProjectOption(command: Command): Command {
  return command.option(
    '--project <dir>',
    'project folder (default: the nearest folder above holding configs/project.yaml)',
  );
}

/** Finds and loads the project the way the spec says: --project, FLUXLOOP_PROJECT_DIR, or the walk up from cwd. */
export function openProject(io: Io, options: { project?: string }): Project {
  return loadProject({
    cwd: io.cwd,
    env: io.env,
    ...(options.project !== undefined ? { projectDir: options.project } : {}),
  });
}
