import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** What the child process found after importing the module. */
export type ModuleProbe =
  | {
      kind: 'loaded';
      /** typeof of every export. */
      exports: Record<string, string>;
      /** typeof Export.prototype[method], when a method was asked about. */
      methodType?: string;
    }
  | { kind: 'import-error'; message: string }
  | { kind: 'timeout' }
  /** The child ended without reporting (killed, crashed in the loader): the last lines of its stderr. */
  | { kind: 'crashed'; message: string };

// Runs in the child: imports the module, reports typeof of each export over IPC, exits. User code runs only there.
// A CommonJS module (a project without "type": "module") arrives as a namespace whose default is module.exports,
// so its names are looked up there too, as the runner does.
const PROBE = `
const [specifier, exportName, method] = process.argv.slice(1);
const report = (message) => process.send(message, () => process.exit(0));
const isObject = (v) => typeof v === 'object' && v !== null;
const find = (mod, name) => {
  const value = mod[name];
  if (name === 'default') return isObject(value) && value.__esModule === true && 'default' in value ? value.default : value;
  if (value !== undefined) return value;
  return isObject(mod.default) || typeof mod.default === 'function' ? mod.default[name] : undefined;
};
let mod;
try {
  mod = await import(specifier);
} catch (err) {
  report({ kind: 'import-error', message: String(err && err.message ? err.message : err) });
}
if (mod) {
  const names = new Set(Object.keys(mod).filter((k) => k !== 'module.exports'));
  if (isObject(mod.default)) for (const k of Object.keys(mod.default)) if (k !== '__esModule') names.add(k);
  const exports = {};
  for (const name of [...names].sort()) exports[name] = typeof find(mod, name);
  const message = { kind: 'loaded', exports };
  if (method) message.methodType = typeof find(mod, exportName)?.prototype?.[method];
  report(message);
}
`;

export interface ProbeModuleOptions {
  /** A file URL, or a package specifier resolved from cwd. */
  specifier: string;
  exportName: string;
  method?: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
}

/**
 * Imports a module in a child `node --import tsx` (TypeScript without a build, like the runner), so that whatever
 * the module does at import time happens outside this process, and reports what it exports. Killed at the timeout.
 */
export function probeModule(options: ProbeModuleOptions): Promise<ModuleProbe> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const args = ['--import', tsx, '--input-type=module', '-e', PROBE, '--', options.specifier, options.exportName];
  if (options.method) args.push(options.method);
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ModuleProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(result);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), options.timeoutMs);
    child.on('message', (message) => finish(message as ModuleProbe));
    child.on('error', (err) => finish({ kind: 'crashed', message: err.message }));
    child.on('close', (code, signal) => {
      const lastLines = stderr.trim().split('\n').slice(-3).join(' | ');
      finish({ kind: 'crashed', message: lastLines || `exited with ${signal ?? `code ${code}`} before reporting` });
    });
  });
}
