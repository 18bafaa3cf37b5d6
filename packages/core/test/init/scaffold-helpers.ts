import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach } from 'vitest';
import { type InitProjectOptions, type InitResult, initProject } from '../../src/index.js';

/** The monorepo's root: its node_modules/@fluxloop holds the workspace packages (built). */
export const WORKSPACE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** tsx's loader (`node --import <this>`), resolved from @fluxloop/core like the runner does. */
export const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const made: string[] = [];
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** An empty temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-init-')));
  made.push(dir);
  return dir;
}

/** `initProject` into a fresh temp folder's `my-agent/` (or `name`). */
export function scaffold(options: Partial<InitProjectOptions> = {}): InitResult {
  const name = options.name ?? 'my-agent';
  return initProject({ dir: path.join(tempDir(), name), name, ...options });
}

/** What `npm install` would give the project: node_modules/@fluxloop pointing at the workspace's packages. */
export function linkWorkspacePackages(root: string): void {
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(path.join(WORKSPACE_ROOT, 'node_modules', '@fluxloop'), path.join(root, 'node_modules', '@fluxloop'));
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
}

/** Every file under `root` (relative, sorted) with its content, node_modules left out. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const absolute = path.join(dir, entry.name);
      if (entry.name === 'node_modules') continue;
      if (entry.isDirectory()) walk(absolute);
      else out[path.relative(root, absolute).split(path.sep).join('/')] = fs.readFileSync(absolute, 'utf8');
    }
  };
  if (fs.existsSync(root)) walk(root);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx <script> ...args` in `cwd`. */
export function runTsx(cwd: string, script: string, args: string[], env: Record<string, string>) {
  return runNode(cwd, ['--import', TSX_LOADER, script, ...args], env);
}

/** Runs this test's node with `args` in `cwd`, with only PATH and `env` in its environment; killed after `timeoutMs`. */
export function runNode(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<ChildResult> {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function readJsonl(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
