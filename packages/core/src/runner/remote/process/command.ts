import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../../errors.js';

/**
 * The executable a process target runs, found the way a shell would: a command with a slash is a path relative to
 * the target's working directory, any other name is looked up on the PATH the process will get. Checked when the
 * target is created, so a typo is a clear error before the first run rather than a failure of every run.
 */
export function resolveCommand(
  command: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): string {
  if (command.includes('/') || (process.platform === 'win32' && command.includes('\\'))) {
    const file = path.resolve(cwd, command);
    if (!isFile(file)) throw new UserError(`${where}: "${command}" does not exist (looked for ${file})`);
    if (!isExecutable(file)) {
      throw new UserError(
        `${where}: "${command}" is not executable (${file}): chmod +x it or run it through its interpreter`,
      );
    }
    return file;
  }
  // Windows resolves extensions itself (PATHEXT); leave the lookup to spawn there.
  if (process.platform === 'win32') return command;
  const searchPath = env.PATH ?? '';
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    if (isFile(file) && isExecutable(file)) return file;
  }
  throw new UserError(
    `${where}: command "${command}" was not found on the PATH` +
      (searchPath ? '' : ' (PATH is empty in the environment)') +
      ': install it, or give its path (./bin/agent or an absolute path)',
  );
}

/** The working directory of a process target: runner.process.cwd against the project root, and it must exist. */
export function resolveWorkingDirectory(
  cwd: string | undefined,
  resolve: (p: string) => string,
  where: string,
): string {
  const dir = resolve(cwd ?? '.');
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    // Reported below, naming the key.
  }
  if (!stat?.isDirectory()) throw new UserError(`${where}: "${cwd}" is not a folder (looked for ${dir})`);
  return dir;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
