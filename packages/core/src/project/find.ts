import fs from 'node:fs';
import path from 'node:path';
import { ProjectNotFoundError } from '../errors.js';
import { CONFIG_FILES } from './types.js';

function isProject(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, CONFIG_FILES.project)).isFile();
  } catch {
    return false;
  }
}

export interface FindProjectOptions {
  /** Where the walk up starts. */
  cwd: string;
  /** `--project DIR` (or FLUXLOOP_PROJECT_DIR): used as is, no walk. Relative to cwd. */
  projectDir?: string;
}

/**
 * The project root: `projectDir` when given, else the nearest folder, walking up from cwd, that holds
 * configs/project.yaml. Throws ProjectNotFoundError saying where it looked.
 */
export function findProjectRoot(options: FindProjectOptions): string {
  if (options.projectDir !== undefined) {
    const dir = path.resolve(options.cwd, options.projectDir);
    if (isProject(dir)) return dir;
    throw new ProjectNotFoundError(
      `${dir} is not a FluxLoop project: ${CONFIG_FILES.project} is missing there (create one with fluxloop init project)`,
    );
  }
  let dir = path.resolve(options.cwd);
  for (;;) {
    if (isProject(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ProjectNotFoundError(
    `no FluxLoop project here: no ${CONFIG_FILES.project} in ${path.resolve(options.cwd)} or any folder above it. ` +
      'Create one with `fluxloop init project <name>`, or point at one with --project DIR.',
  );
}
