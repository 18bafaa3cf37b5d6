import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Io, main } from 'fluxloop';

/** The committed bin, run with this test's node, exactly as a user's shell would run it. */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'fluxloop.js');

const temps: string[] = [];
const children = new Set<ChildProcess>();

export function tempDir(prefix = 'fluxloop-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Kills (by pid) every child still running and removes the temp folders. */
export function cleanup(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** This process's environment without FLUXLOOP_* / OTEL_* / NODE_OPTIONS, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
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
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr matches. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<Exit>;
}

export function startCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const listeners: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const l of listeners.splice(0)) l();
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      for (const l of listeners.splice(0)) l();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStderr: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${pattern}; stderr: ${stderr}`)),
          timeoutMs,
        );
        const check = () => {
          const m = stderr.match(pattern);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}; stderr: ${stderr}`));
          } else listeners.push(check);
        };
        check();
      }),
  };
}

/** Runs the CLI to completion (SIGKILL after timeoutMs). */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Exit> {
  const cli = startCli(args, options);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), options.timeoutMs ?? 10_000);
  const exit = await cli.exited;
  clearTimeout(timer);
  return exit;
}

export interface Collector {
  cli: CliProcess;
  url: string;
  port: number;
}

/** `fluxloop collector serve --port 0 ...args` as a child; resolves once it printed where it listens. */
export async function serveCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Collector> {
  const cli = startCli(['collector', 'serve', '--port', '0', ...args], options);
  const m = await cli.waitForStderr(/listening on (http:\/\/127\.0\.0\.1:(\d+))/);
  return { cli, url: m[1]!, port: Number(m[2]) };
}

/** main() in-process with a captured Io. */
export async function runMain(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env: options.env ?? {},
    cwd: options.cwd ?? tempDir(),
  };
  const code = await main(['node', 'fluxloop', ...args], io);
  return { code, out, err };
}
