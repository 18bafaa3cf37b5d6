import fs from 'node:fs';
import path from 'node:path';
import type { ProjectEnvironment } from '../project/dotenv.js';
import type { ReplayArgs } from '../project/types.js';
import { countLines } from './count-lines.js';
import type { RecordingFile, RecordingStatus } from './types.js';

const RECORDINGS_DIR = 'recordings';
const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/** Whether arguments are being recorded, whether replay is on, and what has been recorded so far. */
export async function recordingStatus(
  root: string,
  env: ProjectEnvironment,
  replay: ReplayArgs | undefined,
): Promise<RecordingStatus> {
  const replayFile = replay ? path.resolve(root, replay.recording_file) : undefined;
  const files = listFiles(path.join(root, RECORDINGS_DIR));
  if (replayFile && !files.includes(replayFile) && fs.existsSync(replayFile)) files.push(replayFile);
  const described: RecordingFile[] = await Promise.all(
    files.map(async (file) => ({
      path: path.relative(root, file).split(path.sep).join('/'),
      lines: await countLines(file),
      bytes: fs.statSync(file).size,
      replay: file === replayFile,
    })),
  );
  return {
    record_args: recordArgs(env),
    replay: replay
      ? { enabled: replay.enabled, recording_file: replay.recording_file, function: replay.function ?? null }
      : null,
    files: described,
  };
}

/** FLUXLOOP_RECORD_ARGS read the way the SDK reads booleans (true/false/1/0/yes/no, any case). */
function recordArgs(env: ProjectEnvironment): RecordingStatus['record_args'] {
  const key = 'FLUXLOOP_RECORD_ARGS';
  const value = env.vars[key];
  if (value === undefined) return { enabled: false, value: null, source: 'unset' };
  const source = env.fromDotenv.includes(key) ? '.env' : 'environment';
  const enabled = readBoolean(value);
  if (enabled !== undefined) return { enabled, value, source };
  return { enabled: false, value, source, problem: 'not a boolean: use true or false (also 1/0, yes/no)' };
}

/** A boolean setting read the way the SDK reads it (true/false/1/0/yes/no, any case); undefined when it is none. */
export function readBoolean(value: string): boolean | undefined {
  const normalized = value.trim().toLowerCase();
  if (TRUE.includes(normalized)) return true;
  if (FALSE.includes(normalized)) return false;
  return undefined;
}

/** Files under `dir`, recursively and sorted; hidden ones (.gitkeep) are not recordings. */
function listFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(full);
      return entry.isFile() ? [full] : [];
    });
}
