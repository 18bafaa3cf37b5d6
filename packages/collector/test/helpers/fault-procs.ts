import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Real processes for the fault tests: the collector as `fluxloop collector serve` (the built CLI), clients as plain
// .mjs fixtures importing the built packages. Everything started here is tracked and killed by killAll().

const here = path.dirname(fileURLToPath(import.meta.url));
export const CLI = path.resolve(here, '../../../cli/bin/fluxloop.js');
export const FIXTURES = path.resolve(here, '../fixtures');

const temps: string[] = [];
const running = new Set<Proc>();

export function faultTmp(prefix = 'fluxloop-fault-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeFaultTemps(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A port that was free a moment ago (bound to 0 and released), for a collector that must come back on it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** This process's environment without FLUXLOOP_* / OTEL_* / NODE_OPTIONS (the runner's settings must not leak). */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('FLUXLOOP_') || k.startsWith('OTEL_') || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** stdout's complete lines that parse as JSON objects. */
  json(): Record<string, unknown>[];
  exited: Promise<Exit>;
  hasExited(): boolean;
  /** Writes a line to the child's stdin (fixtures read commands such as `stop`). */
  send(line: string): void;
}

export function spawnNode(
  script: string,
  args: string[] = [],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Proc {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd ?? os.tmpdir(),
    env: childEnv(options.env ?? {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin!.on('error', () => {}); // a child that exits first closes the pipe: not an error here
  const proc: Proc = {
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    json: () =>
      stdout
        .split('\n')
        .slice(0, -1)
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    exited: new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        exited = true;
        running.delete(proc);
        resolve({ code, signal });
      });
    }),
    hasExited: () => exited,
    send: (line) => {
      if (!exited) child.stdin!.write(`${line}\n`);
    },
  };
  running.add(proc);
  return proc;
}

/** SIGKILLs every process started here that is still running (after a failed test), and waits for them. */
export async function killAll(): Promise<void> {
  const left = [...running];
  for (const p of left) p.child.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
}

/** Polls `condition` until it holds; fails with `what` and the last detail after timeoutMs. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface CollectorProc extends Proc {
  url: string;
  port: number;
}

/** `fluxloop collector serve --port <port>`; resolves once it answers GET /health. */
export async function startCollectorCli(
  port: number,
  outputDir: string,
  extraArgs: string[] = [],
): Promise<CollectorProc> {
  const proc = spawnNode(CLI, ['collector', 'serve', '--port', String(port), '--output-dir', outputDir, ...extraArgs]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (proc.hasExited()) throw new Error(`collector exited during start-up: ${proc.stderr()}`);
      if (!proc.stderr().includes('listening on')) return false;
      const res = await fetch(`${url}/health`).catch(() => undefined);
      return res?.status === 200;
    },
    15_000,
    `the collector on port ${port}`,
  );
  return Object.assign(proc, { url, port });
}

/** SIGTERM (finishes requests, closes files) and waits for the exit. */
export async function stopCollector(c: Proc): Promise<Exit> {
  c.child.kill('SIGTERM');
  return c.exited;
}

export async function killCollector(c: Proc): Promise<Exit> {
  c.child.kill('SIGKILL');
  return c.exited;
}

export interface JsonlFile {
  /** Every line before the last newline (a trailing partial line is in `tail`). */
  lines: string[];
  records: Record<string, unknown>[];
  /** Lines that are not a JSON object, with their line numbers. */
  unparsable: { line: number; text: string }[];
  /** Text after the last newline: a torn write not yet fenced. */
  tail: string;
}

export function readJsonl(file: string): JsonlFile {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const parts = text.split('\n');
  const tail = parts.pop() ?? '';
  const out: JsonlFile = { lines: parts, records: [], unparsable: [], tail };
  parts.forEach((text, line) => {
    try {
      const value = JSON.parse(text) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        out.records.push(value as Record<string, unknown>);
        return;
      }
    } catch {
      // counted below
    }
    out.unparsable.push({ line, text });
  });
  return out;
}

/** Counts newline bytes: cheap progress polling of a growing JSONL file. */
export function countLines(file: string): number {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return 0;
  }
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** The HTTP storage spool's files still waiting (or claimed), dead letters aside. */
export function spoolLeft(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.startsWith('spool-') || f.startsWith('writeback-'));
}
