import fs from 'node:fs';
import readline from 'node:readline';

/** One line of a recording file (docs/cli/recording.md). */
export interface RecordedCall {
  function: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  timestamp?: string;
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const call = value as Record<string, unknown>;
  if (typeof call.function !== 'string' || call.function === '') return undefined;
  if (call.args !== undefined && !Array.isArray(call.args)) return undefined;
  if (
    call.kwargs !== undefined &&
    (typeof call.kwargs !== 'object' || call.kwargs === null || Array.isArray(call.kwargs))
  )
    return undefined;
  if (call.timestamp !== undefined && (typeof call.timestamp !== 'string' || Number.isNaN(Date.parse(call.timestamp))))
    return undefined;
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
    const time = call.timestamp === undefined ? Number.NEGATIVE_INFINITY : Date.parse(call.timestamp);
    if (call.timestamp !== undefined && time > newestTime) {
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

/** Names that usually hold the user's input, most likely first. */
const INPUT_NAMES = ['message', 'input', 'prompt', 'query', 'question', 'text', 'content', 'body'];
const ADDRESSABLE = /^[^.\s]+$/;

/**
 * override_param_path candidates in a recorded call: the paths of its string leaves (`kwargs.message`,
 * `args.0.text`), names that usually hold an input (message, input, prompt, ...) first. Keys with a dot or a
 * space cannot be addressed and are left out.
 */
export function candidatePaths(call: RecordedCall, limit = 8): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      found.push(path);
      return;
    }
    if (depth >= 6 || typeof value !== 'object' || value === null) return;
    const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
    for (const [key, item] of entries) if (ADDRESSABLE.test(key)) walk(item, `${path}.${key}`, depth + 1);
  };
  walk(call.args ?? [], 'args', 0);
  walk(call.kwargs ?? {}, 'kwargs', 0);
  const likely = (p: string) => {
    const name = p.slice(p.lastIndexOf('.') + 1).toLowerCase();
    const rank = INPUT_NAMES.findIndex((n) => name === n || name === `${n}s` || name.endsWith(`_${n}`));
    return rank === -1 ? INPUT_NAMES.length : rank;
  };
  return found
    .map((p, i) => [p, i] as const)
    .sort((a, b) => likely(a[0]) - likely(b[0]) || a[1] - b[1])
    .slice(0, limit)
    .map(([p]) => p);
}

/** Whether override_param_path addresses something in a call: `args.N...`, `kwargs...`, a bare path in kwargs. */
export function resolvesIn(call: RecordedCall, paramPath: string): boolean {
  const segments = paramPath.split('.');
  let node: unknown = segments[0] === 'args' ? call.args : call.kwargs;
  for (const segment of segments[0] === 'args' || segments[0] === 'kwargs' ? segments.slice(1) : segments) {
    if (Array.isArray(node) && /^\d+$/.test(segment) && Number(segment) < node.length) node = node[Number(segment)];
    else if (typeof node === 'object' && node !== null && !Array.isArray(node) && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else return false;
  }
  return true;
}

/** override_param_path written as the spec allows: dot-separated segments, none empty, no spaces. */
export function isParamPath(value: string): boolean {
  return /^[^.\s]+(\.[^.\s]+)*$/.test(value);
}
