import fs from 'node:fs';
import path from 'node:path';

export type FoundCommand = { ok: true; path: string } | { ok: false; problem: string; hint: string };

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a command would be found the way a shell finds it: a name with a path separator is a path (relative to
 * cwd), anything else is looked up on PATH (with PATHEXT on Windows).
 */
export function findCommand(
  command: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): FoundCommand {
  if (command.includes('/') || command.includes('\\')) {
    const file = path.resolve(cwd, command);
    if (isExecutable(file)) return { ok: true, path: file };
    const why = fs.existsSync(file) ? 'is not an executable file' : 'does not exist';
    return {
      ok: false,
      problem: `${file} ${why}`,
      hint: 'fix runner.process.command (relative paths start at its cwd)',
    };
  }
  const extensions =
    process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)] : [''];
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const ext of extensions) {
      const file = path.resolve(cwd, dir, command + ext);
      if (isExecutable(file)) return { ok: true, path: file };
    }
  }
  return {
    ok: false,
    problem: `${command} is not on PATH`,
    hint: 'install it, or set runner.process.command to its full path',
  };
}
