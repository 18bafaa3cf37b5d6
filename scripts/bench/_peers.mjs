// Peers used only in benchmarks (not a workspace dependency, never seen by `npm ci`): installed on demand into
// .bench/peers (git-ignored) with a package.json of its own. They must share the workspace's single copies of
// @langchain/core, @langchain/langgraph and @opentelemetry/*: LangChain's handler registry, `instanceof` and the
// OTel globals break across copies. So the install leaves peer dependencies out (--legacy-peer-deps), any copy of
// a shared package npm still puts under .bench/peers is deleted (the workspace's own copy is found instead, one
// folder up the resolution path), and verifyShared() checks where each peer's imports resolve.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const here = path.dirname(new URL(import.meta.url).pathname);
export const ROOT = path.resolve(here, '../..');
export const PEERS_DIR = path.join(ROOT, '.bench', 'peers');
const PEERS_MODULES = path.join(PEERS_DIR, 'node_modules');
const WORKSPACE_MODULES = path.join(ROOT, 'node_modules');

/** Exact pins. @langfuse/core is pinned too, so that @langfuse/tracing's `^5.11.1` does not float. */
export const PINS = {
  '@langfuse/core': '5.11.1',
  '@langfuse/tracing': '5.11.1',
  '@langfuse/langchain': '5.11.1',
  '@arizeai/openinference-instrumentation-langchain': '4.1.1',
};

/** Packages of which exactly one copy may exist: the workspace's. */
export const SHARED = [
  '@langchain/core',
  '@langchain/langgraph',
  '@opentelemetry/api',
  '@opentelemetry/core',
  '@opentelemetry/resources',
  '@opentelemetry/semantic-conventions',
  '@opentelemetry/sdk-trace-base',
  '@opentelemetry/sdk-trace-node',
  '@opentelemetry/context-async-hooks',
];

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const installedVersion = (dir) => {
  try {
    return readJson(path.join(dir, 'package.json')).version;
  } catch {
    return undefined;
  }
};

/** Every folder named like a shared package anywhere under .bench/peers/node_modules (hoisted or nested). */
function sharedCopies(modules = PEERS_MODULES, found = []) {
  if (!fs.existsSync(modules)) return found;
  for (const name of SHARED) {
    const dir = path.join(modules, name);
    if (fs.existsSync(dir)) found.push({ name, dir });
  }
  for (const entry of fs.readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    const scoped = entry.startsWith('@');
    const parents = scoped
      ? fs.readdirSync(path.join(modules, entry)).map((n) => path.join(modules, entry, n))
      : [path.join(modules, entry)];
    for (const pkg of parents) {
      const nested = path.join(pkg, 'node_modules');
      if (fs.existsSync(nested)) sharedCopies(nested, found);
    }
  }
  return found;
}

/**
 * Installs the pinned peers into .bench/peers when any is missing or at another version, then removes duplicate
 * copies of shared packages. Returns { installed, installMs, removed, error }; never throws.
 */
export function ensurePeers(log = (m) => process.stderr.write(`${m}\n`)) {
  const result = { installed: false, installMs: 0, removed: [], error: undefined };
  try {
    fs.mkdirSync(PEERS_DIR, { recursive: true });
    const manifest = {
      name: 'fluxloop-bench-peers',
      private: true,
      description: 'benchmark peers',
      dependencies: PINS,
    };
    const manifestFile = path.join(PEERS_DIR, 'package.json');
    const current = fs.existsSync(manifestFile) ? fs.readFileSync(manifestFile, 'utf8') : '';
    const wanted = `${JSON.stringify(manifest, null, 2)}\n`;
    if (current !== wanted) fs.writeFileSync(manifestFile, wanted);
    const missing = Object.entries(PINS).filter(([name, v]) => installedVersion(path.join(PEERS_MODULES, name)) !== v);
    if (missing.length > 0) {
      log(`installing benchmark peers into ${path.relative(ROOT, PEERS_DIR)}: ${missing.map(([n]) => n).join(', ')}`);
      const t0 = performance.now();
      const npm = spawnSync(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--no-package-lock',
          '--legacy-peer-deps',
          '--ignore-scripts',
          '--loglevel=error',
        ],
        { cwd: PEERS_DIR, encoding: 'utf8', env: { ...process.env, npm_config_workspaces: 'false' } },
      );
      result.installMs = performance.now() - t0;
      result.installed = true;
      if (npm.status !== 0) {
        const lines = (npm.stderr || npm.stdout || String(npm.error ?? '')).trim().split('\n');
        const why = lines
          .filter((l) => !/complete log of this run/.test(l))
          .slice(0, 2)
          .map((l) => l.replace(/^npm error /, '').slice(0, 160))
          .join(' | ');
        result.error = `npm install failed (exit ${npm.status}): ${why}`;
        return result;
      }
      log(`peers installed in ${(result.installMs / 1000).toFixed(1)} s`);
    }
    for (const { name, dir } of sharedCopies()) {
      const version = installedVersion(dir);
      const workspace = installedVersion(path.join(WORKSPACE_MODULES, name));
      log(`removing duplicate ${name}@${version} at ${path.relative(ROOT, dir)} (workspace has ${workspace})`);
      fs.rmSync(dir, { recursive: true, force: true });
      result.removed.push({ name, version, workspace, at: path.relative(ROOT, dir) });
    }
  } catch (err) {
    result.error = `peer setup failed: ${err?.message ?? err}`;
  }
  return result;
}

/**
 * Where `name` resolves from inside the installed package `fromPkg` (its package folder, symlinks resolved).
 * A package whose exports hide package.json is located through its main entry instead.
 */
function resolvedPackageDir(fromPkg, name) {
  const req = createRequire(path.join(PEERS_MODULES, fromPkg, 'package.json'));
  let entry;
  try {
    entry = req.resolve(`${name}/package.json`);
  } catch {
    entry = req.resolve(name);
  }
  let dir = path.dirname(fs.realpathSync(entry));
  while (!fs.existsSync(path.join(dir, 'package.json')) || readJson(path.join(dir, 'package.json')).name !== name) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package folder of ${name} above ${entry}`);
    dir = up;
  }
  return dir;
}

/**
 * For each peer, the shared packages it (or its dependencies) imports must resolve to the workspace's copy.
 * Returns a list of problems (empty when every import lands on the workspace copy).
 */
export function verifyShared(peer, names) {
  const problems = [];
  for (const name of names) {
    const expected = fs.realpathSync(path.join(WORKSPACE_MODULES, name));
    try {
      const got = resolvedPackageDir(peer, name);
      if (got !== expected) problems.push(`${name} from ${peer} resolves to ${path.relative(ROOT, got)}`);
    } catch (err) {
      problems.push(`${name} from ${peer} does not resolve: ${err.message.split('\n')[0]}`);
    }
  }
  return problems;
}

/**
 * import() of a peer's module with Node's own ESM resolution from .bench/peers: the import runs in a one-line
 * module written there, so the peer resolves from its own folder and the shared packages from the workspace.
 */
export async function importPeer(specifier) {
  const loader = path.join(PEERS_DIR, 'import-peer.mjs');
  const text = 'export const load = (specifier) => import(specifier);\n';
  if (!fs.existsSync(loader) || fs.readFileSync(loader, 'utf8') !== text) fs.writeFileSync(loader, text);
  const { load } = await import(pathToFileURL(loader).href);
  return load(specifier);
}
