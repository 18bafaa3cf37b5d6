import fs from 'node:fs';
import readline from 'node:readline';
import { decodeCall } from '@fluxloop/sdk/recording';
import { candidatePaths as replayCandidates } from '../replay/candidates.js';
import { parseParamPath, resolveParamPath } from '../replay/param-path.js';
import { lineProblem } from '../replay/recordings.js';

/** One line of a recording file (docs/cli/recording.md). */
export interface RecordedCall {
  function: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  timestamp: string;
}

/** What a recording file holds, read line by line (memory stays flat however large the file is). */
export interface RecordingContent {
  /** Lines that are recorded calls. */
  records: number;
  /** Lines that are not: not JSON, not an object, no `function` name, `args` not a list, ... (blank lines aside). */
  malformed: number;
  /** The first malformed line (1-based), to look at; null when there is none. */
  first_malformed_line: number | null;
  /** Recorded calls per function name, most recorded first. */
  functions: Record<string, number>;
  /** The latest `timestamp` as written; null when no record has one. */
  newest_timestamp: string | null;
}

export interface ScanOptions {
  /** Only this function's records count as the newest (replay_args.function). */
  function?: string;
}

export interface RecordingScan extends RecordingContent {
  /** The newest record (latest timestamp, the later line on a tie) of `options.function`, if any. */
  newest?: { call: RecordedCall; line: number };
}

/** The recorded call a line holds, or undefined when it holds none. */
export function parseRecordedCall(line: string): RecordedCall | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (lineProblem(value) !== undefined) return undefined;
  const call = value as Record<string, unknown>;
  if (Number.isNaN(Date.parse(call.timestamp as string))) return undefined;
  return call as unknown as RecordedCall;
}

export async function scanRecording(file: string, options: ScanOptions = {}): Promise<RecordingScan> {
  const counts = new Map<string, number>();
  const scan: RecordingScan = {
    records: 0,
    malformed: 0,
    first_malformed_line: null,
    functions: {},
    newest_timestamp: null,
  };
  let newestTime = Number.NEGATIVE_INFINITY;
  let newestOfFunction = Number.NEGATIVE_INFINITY;
  let lineNumber = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const call = parseRecordedCall(line);
    if (!call) {
      scan.malformed++;
      scan.first_malformed_line ??= lineNumber;
      continue;
    }
    scan.records++;
    counts.set(call.function, (counts.get(call.function) ?? 0) + 1);
    const time = Date.parse(call.timestamp);
    if (time > newestTime) {
      newestTime = time;
      scan.newest_timestamp = call.timestamp;
    }
    if ((options.function === undefined || call.function === options.function) && time >= newestOfFunction) {
      newestOfFunction = time;
      scan.newest = { call, line: lineNumber };
    }
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  scan.functions = Object.fromEntries(sorted);
  return scan;
}

/** The call as replay sees it: markers decoded (a recorded instance's fields at args.0.url, not args.0.value.url). */
function decoded(call: RecordedCall) {
  return decodeCall(call);
}

/** override_param_path candidates in a recorded call, as replay would address them (see replay/candidates.ts). */
export function candidatePaths(call: RecordedCall, limit = 8): string[] {
  return replayCandidates(decoded(call), limit);
}

/** Whether override_param_path resolves in a call exactly as replay resolves it (bare paths, [0] indices). */
export function resolvesIn(call: RecordedCall, paramPath: string): boolean {
  const parsed = parseParamPath(paramPath);
  return !('problem' in parsed) && resolveParamPath(decoded(call), parsed).ok;
}

/** override_param_path written as the spec allows: dot-separated segments, none empty, no spaces. */
export function isParamPath(value: string): boolean {
  return !('problem' in parseParamPath(value));
}
