import fs from 'node:fs';
import readline from 'node:readline';
import { UserError } from '../errors.js';

/** One recorded call, as read from the recording file. Values are still encoded (see @fluxloop/sdk/recording). */
export interface Recording {
  /** 1-based line in the recording file. */
  line: number;
  function: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  timestamp: string;
  /** The paramNames the wrapper declared when the call was recorded, if any. */
  params?: string[];
}

export interface RecordingFile {
  /** Every well-formed line, in file order. */
  recordings: Recording[];
  /** Recorded function names with their counts, for messages. */
  functions: Map<string, number>;
}

const HOW_TO_RECORD =
  'record calls first: `fluxloop record enable`, run your app as you normally would so the agent is called, ' +
  'then run the experiment again';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What is wrong with a parsed line, or undefined when it is a recording (replay and `record status` agree). */
export function lineProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'is not a JSON object';
  if (typeof value.function !== 'string' || value.function === '') return 'has no "function" name';
  if (!Array.isArray(value.args)) return '"args" is not a list';
  if (!isObject(value.kwargs)) return '"kwargs" is not an object';
  if (typeof value.timestamp !== 'string') return 'has no "timestamp"';
  if (value.params !== undefined && (!Array.isArray(value.params) || value.params.some((p) => typeof p !== 'string'))) {
    return '"params" is not a list of names';
  }
  return undefined;
}

/**
 * Reads a recording file line by line. A missing or empty file, or a line that is not a recording, is a
 * UserError naming the file (and line) and what to do; nothing is skipped silently.
 */
export async function readRecordingFile(file: string, display: string): Promise<RecordingFile> {
  if (!fs.existsSync(file)) {
    throw new UserError(
      `the recording file ${display} does not exist: ${HOW_TO_RECORD} (or set replay_args.recording_file)`,
    );
  }
  const recordings: Recording[] = [];
  const functions = new Map<string, number>();
  const lines = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new UserError(`${display}:${n}: not valid JSON (${(err as Error).message}); fix or delete that line`);
    }
    const problem = lineProblem(value);
    if (problem) {
      throw new UserError(
        `${display}:${n}: ${problem}; a recording line is {"function", "args", "kwargs", "timestamp"}: fix or delete that line`,
      );
    }
    const r = value as Omit<Recording, 'line'>;
    recordings.push({
      line: n,
      function: r.function,
      args: r.args,
      kwargs: r.kwargs,
      timestamp: r.timestamp,
      ...(r.params ? { params: r.params } : {}),
    });
    functions.set(r.function, (functions.get(r.function) ?? 0) + 1);
  }
  if (recordings.length === 0) throw new UserError(`the recording file ${display} is empty: ${HOW_TO_RECORD}`);
  return { recordings, functions };
}

/** `handle_message (3), Bot.handle (1)` */
export function listFunctions(functions: Map<string, number>): string {
  return [...functions].map(([name, count]) => `${name} (${count})`).join(', ');
}
