// Helpers of the experiment benches (experiment-throughput, experiment-memory): a FluxLoop project in a temp
// folder, the built CLI spawned on it, the experiment folder it wrote, line counts that never load a whole file,
// and promptfoo installed on demand into a folder of its own.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
export const ROOT = path.resolve(here, '../..');
export const CLI = path.join(ROOT, 'packages', 'cli', 'bin', 'fluxloop.js');

/** The CLI's bin imports dist/: the benches measure the built CLI, so they refuse to run without a build. */
export function requireBuild() {
  const missing = ['cli', 'core', 'sdk']
    .map((p) => path.join(ROOT, 'packages', p, 'dist', 'index.js'))
    .filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    console.error(`not built (${missing.map((f) => path.relative(ROOT, f)).join(', ')}): run npm run build first`);
    process.exit(2);
  }
}

/**
 * Command-line flags `--name value` / `--name=value` as numbers, with an env fallback (BENCH_<NAME>) as the other
 * benches take their sizes, then the default.
 */
export function numberFlag(name, fallback) {
  const argv = process.argv.slice(2);
  let text;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) text = argv[i + 1];
    else if (argv[i].startsWith(`--${name}=`)) text = argv[i].slice(name.length + 3);
  }
  text ??= process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} expects a whole number of at least 1, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export const tempDir = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

const yamlString = (s) => JSON.stringify(s);

/**
 * A FluxLoop project: configs/project.yaml, configs/simulation.yaml (module target) and inputs/generated.yaml with the given input strings, the agent module, and, with `linkSdk`, the workspace's
 * @fluxloop/sdk linked into the project's node_modules as an installed package would be.
 */
export function writeProject(
  dir,
  { name, capture, iterations, concurrency, target, agentFile, agentSource, inputs, linkSdk },
) {
  fs.mkdirSync(path.join(dir, 'configs'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'inputs'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'configs', 'project.yaml'),
    `name: ${name}\n${capture ? `capture: ${capture}\n` : ''}`,
  );
  fs.writeFileSync(
    path.join(dir, 'configs', 'simulation.yaml'),
    `iterations: ${iterations}\nconcurrency: ${concurrency}\ntimeout_seconds: 60\nrunner:\n  target: ${target}\n`,
  );
  const lines = ['inputs:'];
  inputs.forEach((input, i) => {
    lines.push(`  - input: ${yamlString(input)}`, '    strategy: null', '    persona: null', `    base_index: ${i}`);
    lines.push('    seed: null');
  });
  fs.writeFileSync(path.join(dir, 'inputs', 'generated.yaml'), `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, agentFile), agentSource);
  if (linkSdk) {
    const scope = path.join(dir, 'node_modules', '@fluxloop');
    fs.mkdirSync(scope, { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'packages', 'sdk'), path.join(scope, 'sdk'), 'dir');
  }
}

/** `count` different questions, a support agent's kind of input (40-70 characters). */
export function questions(count) {
  const asks = ['Where is my order', 'Has order', 'Can you cancel', 'I never got a confirmation for', 'Refund for'];
  return Array.from({ length: count }, (_, i) => `${asks[i % asks.length]} A-${10_000 + i}? (case ${i})`);
}

/**
 * Spawns `node args...` (no shell), stdout and stderr to `logFile`; resolves with the exit code and the wall time
 * from spawn to the process's end with its output closed. `onSpawn(child)` runs right after spawning.
 */
export function runNode(args, { cwd = ROOT, env = process.env, logFile, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(logFile, 'w');
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, wallMs: performance.now() - t0, pid: child.pid }));
  });
}

/** The last lines of a log, for a failure message. */
export function tail(file, lines = 8) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The one experiment folder under `outputDir` (the CLI's --output-dir), or undefined. */
export function experimentDir(outputDir) {
  if (!fs.existsSync(outputDir)) return undefined;
  const dirs = fs.readdirSync(outputDir).filter((d) => fs.statSync(path.join(outputDir, d)).isDirectory());
  return dirs.length === 1 ? path.join(outputDir, dirs[0]) : undefined;
}

/** Newlines in a file, read as a stream in 1 MB chunks (the file is never held in memory whole). */
export async function countLines(file) {
  if (!fs.existsSync(file)) return 0;
  let n = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  }
  return n;
}

// ------------------------------------------------------------------------------------------------- promptfoo

export const PROMPTFOO_VERSION = '0.121.20';
export const PROMPTFOO_DIR = path.join(ROOT, '.bench', 'promptfoo');

/**
 * Installs promptfoo (about 1.4 GB) into .bench/promptfoo (git-ignored, a package.json of its own, outside the
 * workspaces: `npm ci` never sees it) unless that version is already there. Returns { bin, installed, installMs }
 * or { error }; never throws.
 */
export function ensurePromptfoo(log = (m) => process.stderr.write(`${m}\n`)) {
  const pkgDir = path.join(PROMPTFOO_DIR, 'node_modules', 'promptfoo');
  const result = { installed: false, installMs: 0 };
  try {
    fs.mkdirSync(PROMPTFOO_DIR, { recursive: true });
    const manifest = `${JSON.stringify(
      {
        name: 'fluxloop-bench-promptfoo',
        private: true,
        description: 'promptfoo for the experiment-throughput benchmark',
        dependencies: { promptfoo: PROMPTFOO_VERSION },
      },
      null,
      2,
    )}\n`;
    const manifestFile = path.join(PROMPTFOO_DIR, 'package.json');
    if (!fs.existsSync(manifestFile) || fs.readFileSync(manifestFile, 'utf8') !== manifest) {
      fs.writeFileSync(manifestFile, manifest);
    }
    const installedVersion = () => {
      try {
        return JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
      } catch {
        return undefined;
      }
    };
    if (installedVersion() !== PROMPTFOO_VERSION) {
      log(`installing promptfoo ${PROMPTFOO_VERSION} into ${path.relative(ROOT, PROMPTFOO_DIR)} (about 1.4 GB, once)`);
      const t0 = performance.now();
      const npm = spawnSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', '--loglevel=error'],
        { cwd: PROMPTFOO_DIR, encoding: 'utf8', env: { ...process.env, npm_config_workspaces: 'false' } },
      );
      result.installMs = performance.now() - t0;
      result.installed = true;
      if (npm.status !== 0 || installedVersion() !== PROMPTFOO_VERSION) {
        const why = (npm.stderr || npm.stdout || String(npm.error ?? '')).trim().split('\n').slice(0, 2).join(' | ');
        return { ...result, error: `npm install of promptfoo failed (exit ${npm.status}): ${why.slice(0, 300)}` };
      }
      log(`promptfoo installed in ${(result.installMs / 1000).toFixed(1)} s`);
    }
    const bin = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).bin;
    return { ...result, bin: path.join(pkgDir, typeof bin === 'string' ? bin : bin.promptfoo) };
  } catch (err) {
    return { ...result, error: `promptfoo setup failed: ${err?.message ?? err}` };
  }
}

/** promptfoo's environment for the bench: no telemetry, update check, remote generation or sharing. */
export function promptfooEnv(configDir) {
  return {
    ...process.env,
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
    PROMPTFOO_DISABLE_REMOTE_GENERATION: 'true',
    PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION: 'true',
    PROMPTFOO_DISABLE_SHARING: '1',
    PROMPTFOO_CONFIG_DIR: configDir,
  };
}
