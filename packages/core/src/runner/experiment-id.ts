import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

export interface ExperimentFolder {
  /** `YYYYMMDD-HHMMSS-<6 hex>` (UTC): sorts by start time, and is the folder's name. */
  id: string;
  /** Absolute path of the folder, which exists (empty) once this returns. */
  dir: string;
}

export interface ExperimentFolderOptions {
  /** Start time; default now. */
  now?: Date;
  /** Random suffix; default 6 hex characters from crypto. Injected by tests to force collisions. */
  suffix?: () => string;
}

const MAX_ATTEMPTS = 20;

function stamp(now: Date): string {
  const iso = now.toISOString(); // 2026-11-22T10:00:00.000Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/**
 * Creates `<outputDirectory>/<id>/` and returns its id. The folder is claimed with a non-recursive mkdir, which
 * fails with EEXIST if it is there already, so two experiments started in the same second (even by two processes)
 * can never share a folder: the loser draws another suffix.
 */
export function createExperimentFolder(
  outputDirectory: string,
  options: ExperimentFolderOptions = {},
): ExperimentFolder {
  const suffix = options.suffix ?? (() => randomBytes(3).toString('hex'));
  const prefix = stamp(options.now ?? new Date());
  try {
    fs.mkdirSync(outputDirectory, { recursive: true });
  } catch (err) {
    throw new UserError(`cannot create the output directory ${outputDirectory}: ${(err as Error).message}`);
  }
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const id = `${prefix}-${suffix()}`;
    const dir = path.join(outputDirectory, id);
    try {
      fs.mkdirSync(dir);
      return { id, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UserError(`cannot create the experiment folder ${dir}: ${(err as Error).message}`);
      }
    }
  }
  throw new Error(`no free experiment folder name under ${outputDirectory} after ${MAX_ATTEMPTS} attempts`);
}
