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
const PROBE = `
const [specifier, exportName, method] = process.argv.slice(1);
const report = (message) => process.send(message, () => process.exit(0));
let mod;
try {
  mod = await import(specifier);
} catch (err) {
  report({ kind: 'import-error', message: String(err && err.message ? err.message : err) });
}
if (mod) {
  const exports = {};
  for (const key of Object.keys(mod)) exports[key] = typeof mod[key];
  const message = { kind: 'loaded', exports };
  if (method) message.methodType = typeof mod[exportName]?.prototype?.[method];
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
