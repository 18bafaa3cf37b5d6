import fs from 'node:fs';
import path from 'node:path';
import { findProjectRoot } from '../project/find.js';
import type { RecordingReport, RecordProjectOptions, ReplaySettings } from './types.js';

export const DEFAULT_RECORDING_FILE = 'recordings/args_recording.jsonl';
export const RECORD_ARGS = 'FLUXLOOP_RECORD_ARGS';
export const RECORDING_FILE = 'FLUXLOOP_RECORDING_FILE';

export function projectRoot(options: RecordProjectOptions): string {
  const projectDir = options.projectDir ?? options.env.FLUXLOOP_PROJECT_DIR;
  return findProjectRoot({ cwd: options.cwd, ...(projectDir ? { projectDir } : {}) });
}

/** A file's text; undefined when it is not there. */
export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A path as configs write it: relative to the project (with /) when inside it, else absolute. */
export function configPath(root: string, absolute: string): string {
  const relative = path.relative(root, absolute);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return absolute;
  return relative.split(path.sep).join('/');
}

/** replay_args of a parsed configs/simulation.yaml, defaults filled in. */
export function replaySettings(simulation: unknown): ReplaySettings {
  const replay = (simulation as { replay_args?: Record<string, unknown> } | null)?.replay_args ?? {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return {
    enabled: replay.enabled === true,
    recording_file: text(replay.recording_file) ?? DEFAULT_RECORDING_FILE,
    override_param_path: text(replay.override_param_path),
    function: text(replay.function),
  };
}

/**
 * The file the SDK appends recordings to, as it resolves FLUXLOOP_RECORDING_FILE: a non-empty value in the real
 * environment, else in .env, else the default (relative paths resolve against the app's working directory,
 * normally the project folder).
 */
export function sdkRecordingFile(
  env: Readonly<Record<string, string | undefined>>,
  dotenv: Readonly<Record<string, string>>,
): RecordingReport['recording_file'] {
  const real = env[RECORDING_FILE];
  if (real) return { path: real, source: 'environment' };
  const fromDotenv = dotenv[RECORDING_FILE];
  if (fromDotenv) return { path: fromDotenv, source: '.env' };
  return { path: DEFAULT_RECORDING_FILE, source: 'default' };
}

/** The warning for a replay file that is not the file the SDK records to (empty when they are the same). */
export function fileMismatch(root: string, sdk: RecordingReport['recording_file'], replayFile: string): string[] {
  if (path.resolve(root, sdk.path) === path.resolve(root, replayFile)) return [];
  const where = sdk.source === 'default' ? 'the default' : `${RECORDING_FILE} in ${sdk.source}`;
  return [
    `the SDK records to ${sdk.path} (${where}) but replay_args.recording_file is ${replayFile}: ` +
      'fluxloop record enable --recording-file PATH sets both',
  ];
}
