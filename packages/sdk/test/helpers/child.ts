import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Child-process fixtures (plain .mjs/.cjs importing the built @fluxloop/sdk), run with this test's node. */
export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

const temps: string[] = [];

/** A fresh temp folder, removed by removeTemps(). */
export function tmp(prefix = 'fluxloop-proc-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The child's environment: this process's, minus every FLUXLOOP_* / OTEL_* variable and NODE_OPTIONS (so the
 * runner's own settings cannot leak in), plus `extra`.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('FLUXLOOP_') || k.startsWith('OTEL_') || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
  /** True when the child had to be killed because it outlived timeoutMs. */
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. --unhandled-rejections=strict. */
  nodeArgs?: string[];
  /** SIGKILL the child after this long (default 20 s); the result then says timedOut. */
  timeoutMs?: number;
}

export interface Running {
  child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  done: Promise<ChildResult>;
}

export function start(script: string, args: string[] = [], options: RunOptions = {}): Running {
  const started = Date.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    cwd: options.cwd ?? tmp(),
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 20_000);
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut });
    });
  });
  return { child, stdout: () => stdout, done };
}

export function run(script: string, args: string[] = [], options: RunOptions = {}): Promise<ChildResult> {
  return start(script, args, options).done;
}

/** The last line of stdout that is JSON: what a fixture reports. */
export function report<T = Record<string, unknown>>(result: ChildResult): T {
  const lines = result.stdout.trim().split('\n').filter(Boolean);
  const last = lines.at(-1);
  if (!last)
    throw new Error(`the child printed nothing (code ${result.code}, signal ${result.signal}):\n${result.stderr}`);
  return JSON.parse(last) as T;
}

/** `[fluxloop]` lines the SDK wrote to stderr. */
export function sdkWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('[fluxloop]'));
}

export interface JsonlFile {
  exists: boolean;
  /** Every line parsed (throws, naming the line, if one does not). */
  records: Record<string, unknown>[];
  /** Byte length of the file. */
  bytes: number;
  /** True for an empty file or one whose last byte is \n: no partial tail. */
  endsWithNewline: boolean;
}

/**
 * Reads a JSONL file strictly: every line must parse as a JSON object, there may be no empty line in the middle,
 * and whether the file ends with a newline is reported (a torn tail shows up as a parse error or as false).
 */
export function readJsonlStrict(file: string): JsonlFile {
  if (!fs.existsSync(file)) return { exists: false, records: [], bytes: 0, endsWithNewline: true };
  const text = fs.readFileSync(file, 'utf8');
  const endsWithNewline = text.length === 0 || text.endsWith('\n');
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.length === 0 ? [] : body.split('\n');
  const records = lines.map((line, i) => {
    try {
      const value = JSON.parse(line) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      return value as Record<string, unknown>;
    } catch (err) {
      throw new Error(
        `${file}: line ${i + 1} of ${lines.length} is not a JSON object (${(err as Error).message}): ` +
          `${line.slice(0, 120)}${line.length > 120 ? `… (${line.length} chars)` : ''}`,
      );
    }
  });
  return { exists: true, records, bytes: Buffer.byteLength(text), endsWithNewline };
}

export interface OutputDir {
  traces: JsonlFile;
  observations: JsonlFile;
}

export function readOutput(dir: string): OutputDir {
  return {
    traces: readJsonlStrict(path.join(dir, 'traces.jsonl')),
    observations: readJsonlStrict(path.join(dir, 'observations.jsonl')),
  };
}

export function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until check() is true or timeoutMs passes; returns whether it became true. */
export async function until(check: () => boolean, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(everyMs);
  }
  return check();
}
