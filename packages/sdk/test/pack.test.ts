/**
 * The published packages, as users get them: `npm pack` of @fluxloop/contract and @fluxloop/sdk, installed into
 * two fresh apps outside the repository (one ES module app, one CommonJS app) together with @opentelemetry/api and
 * TypeScript from the registry. In each app the public types are checked with tsc, an agent call is traced to
 * JSONL through the export worker thread, and the subpath exports load. Needs a built dist/ (npx turbo run build)
 * and the npm registry (or a warm npm cache).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(HERE, 'fixtures', 'pack');
const PACKAGES = {
  contract: path.resolve(HERE, '..', '..', 'contract'),
  sdk: path.resolve(HERE, '..'),
  langchain: path.resolve(HERE, '..', '..', 'langchain'),
} as const;
type PackageKey = keyof typeof PACKAGES;

const INSTALL_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Running commands
// ---------------------------------------------------------------------------------------------------------------

interface Exec {
  command: string;
  cwd: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

/** npm settings that may be kept from the environment (registry, cache, certificates, proxies). */
const KEEP_NPM = new Set([
  'npm_config_cache',
  'npm_config_registry',
  'npm_config_userconfig',
  'npm_config_globalconfig',
  'npm_config_cafile',
  'npm_config_ca',
  'npm_config_proxy',
  'npm_config_https_proxy',
  'npm_config_noproxy',
  'npm_config_strict_ssl',
]);

/**
 * The environment of child processes. npm run under npx/npm scripts exports npm_config_local_prefix and friends,
 * which would make a nested `npm install` act on the repository instead of the temp app; FLUXLOOP_* and OTEL_*
 * of the test runner must not change what the apps do; NODE_OPTIONS may carry the runner's loaders.
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('npm_') && !KEEP_NPM.has(lower)) continue;
    if (key.startsWith('FLUXLOOP_') || key.startsWith('OTEL_') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', ...extra };
}

function exec(
  cmd: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  extraEnv: Record<string, string> = {},
): Promise<Exec> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: childEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      stderr += `\n[spawn error] ${err.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const command = [cmd, ...args].join(' ');
      resolve({ command, cwd, code, signal, timedOut, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function report(r: Exec): string {
  const status = r.timedOut ? `timed out after ${r.ms} ms` : `exited with ${r.code ?? r.signal} after ${r.ms} ms`;
  return `\`${r.command}\` in ${r.cwd} ${status}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
}

/** Runs a command that must succeed; a failure throws with its full stdout and stderr. */
async function must(cmd: string, args: string[], cwd: string, timeoutMs = STEP_TIMEOUT_MS, env = {}) {
  const r = await exec(cmd, args, cwd, timeoutMs, env);
  if (r.code !== 0) throw new Error(report(r));
  return r;
}

/** The last line of stdout as JSON (the fixtures print one JSON line). */
function lastJson<T>(r: Exec): T {
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`expected a JSON line on stdout\n${report(r)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Pack and install
// ---------------------------------------------------------------------------------------------------------------

interface PackFile {
  path: string;
  size: number;
}
interface PackResult {
  name: string;
  version: string;
  filename: string;
  files: PackFile[];
}

interface App {
  kind: 'esm' | 'cjs';
  dir: string;
  install?: Exec;
}

let work: string;
const tarballs = {} as Record<PackageKey, PackResult>;
const dryRuns = {} as Record<PackageKey, PackResult>;
const apps: Record<'esm' | 'cjs', App> = {
  esm: { kind: 'esm', dir: '' },
  cjs: { kind: 'cjs', dir: '' },
};

/** Files every build must have produced; packing a half-built dist/ would test nothing. */
const REQUIRED_DIST: Record<PackageKey, string[]> = {
  contract: ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'validate.js', 'validate.cjs', 'validate.d.ts'],
  sdk: [
    'index.js',
    'index.cjs',
    'index.d.ts',
    'index.d.cts',
    'projection.js',
    'projection.cjs',
    'projection.d.ts',
    'projection.d.cts',
    'instrumentation.js',
    'instrumentation.cjs',
    'instrumentation.d.ts',
    'export-worker.js',
  ],
  langchain: ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'],
};

async function pack(key: PackageKey): Promise<void> {
  const dir = PACKAGES[key];
  const missing = REQUIRED_DIST[key].filter((f) => !fs.existsSync(path.join(dir, 'dist', f)));
  if (missing.length > 0) {
    throw new Error(`${dir}/dist is incomplete (missing ${missing.join(', ')}): run \`npx turbo run build\` first`);
  }
  const dry = await must('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir);
  dryRuns[key] = lastJsonArray(dry);
  const real = await must('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], dir);
  tarballs[key] = lastJsonArray(real);
}

function lastJsonArray(r: Exec): PackResult {
  const start = r.stdout.indexOf('[');
  try {
    const parsed = JSON.parse(r.stdout.slice(start)) as PackResult[];
    if (parsed.length !== 1) throw new Error(`expected one package, got ${parsed.length}`);
    return parsed[0]!;
  } catch (err) {
    throw new Error(`could not read npm pack --json output (${(err as Error).message})\n${report(r)}`);
  }
}

async function install(app: App): Promise<void> {
  app.dir = path.join(work, `${app.kind}-app`);
  fs.mkdirSync(app.dir);
  const pkg = {
    name: `fluxloop-pack-${app.kind}-app`,
    version: '0.0.0',
    private: true,
    ...(app.kind === 'esm' ? { type: 'module' } : {}),
  };
  fs.writeFileSync(path.join(app.dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const f of [
    'check.ts',
    `run.${app.kind === 'esm' ? 'mjs' : 'cjs'}`,
    `subpaths.${app.kind === 'esm' ? 'mjs' : 'cjs'}`,
    `langchain.${app.kind === 'esm' ? 'mjs' : 'cjs'}`,
  ]) {
    fs.copyFileSync(path.join(FIXTURES, f), path.join(app.dir, f));
  }
  fs.copyFileSync(path.join(FIXTURES, `tsconfig.${app.kind}.json`), path.join(app.dir, 'tsconfig.json'));
  app.install = await exec(
    'npm',
    [
      'install',
      path.join(work, tarballs.contract.filename),
      path.join(work, tarballs.sdk.filename),
      path.join(work, tarballs.langchain.filename),
      '@langchain/core@1.4.0',
      '@opentelemetry/api@1.9.1',
      'typescript@5.9.3',
      '--save-exact',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
    ],
    app.dir,
    INSTALL_TIMEOUT_MS,
  );
}

/** Fails the calling test with npm's output when the app could not be installed. */
function installed(app: App): App {
  if (!app.install) throw new Error(`the ${app.kind} app was not set up (packing failed?)`);
  if (app.install.code !== 0) throw new Error(`npm install failed\n${report(app.install)}`);
  return app;
}

beforeAll(
  async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-pack-'));
    await pack('contract');
    await pack('sdk');
    await pack('langchain');
    await Promise.all([install(apps.esm), install(apps.cjs)]);
  },
  2 * INSTALL_TIMEOUT_MS + 60_000,
);

afterAll(() => {
  if (!work) return;
  if (process.env.FLUXLOOP_KEEP_PACK_DIR) console.log(`pack test files kept in ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// The tarballs
// ---------------------------------------------------------------------------------------------------------------

/** Every file path package.json points at (main, module, types, exports), with `*` patterns kept as patterns. */
function referencedFiles(pkg: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v.replace(/^\.\//, ''));
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk([pkg.main, pkg.module, pkg.types, pkg.exports]);
  return [...new Set(out)];
}

const ALLOWED: Record<PackageKey, RegExp> = {
  contract: /^(dist\/[^/]+|schemas\/[^/]+\.schema\.json|package\.json|README(\.md)?|LICENSE(\.md|\.txt)?)$/i,
  sdk: /^(dist\/[^/]+|package\.json|README(\.md)?|LICENSE(\.md|\.txt)?)$/i,
  langchain: /^(dist\/[^/]+|package\.json|README(\.md)?|LICENSE(\.md|\.txt)?)$/i,
};

describe.each(['contract', 'sdk', 'langchain'] as const)('the @fluxloop/%s tarball', (key) => {
  it('holds only dist/*, package.json, README/LICENSE (and schemas/ for contract): no tests, no sources', () => {
    const files = dryRuns[key].files.map((f) => f.path).sort();
    expect(files.filter((f) => !ALLOWED[key].test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures?)(\/|$)|\.(test|spec|bench)\./.test(f))).toEqual(
      [],
    );
    expect(files.filter((f) => /\.(ts|mts|cts|tsx)$/.test(f) && !/\.d\.(ts|mts|cts)$/.test(f))).toEqual([]);
    // What npm packed is what the dry run listed.
    expect(tarballs[key].files.map((f) => f.path).sort()).toEqual(files);
  });

  it('holds every file package.json points at, and every sourceMappingURL target', () => {
    const files = new Set(dryRuns[key].files.map((f) => f.path));
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGES[key], 'package.json'), 'utf8'));
    const referenced = referencedFiles(pkg);
    expect(referenced.length).toBeGreaterThan(4);
    for (const ref of referenced) {
      if (ref.includes('*')) {
        const prefix = ref.slice(0, ref.indexOf('*'));
        expect(
          [...files].some((f) => f.startsWith(prefix)),
          `${ref} matches a packed file`,
        ).toBe(true);
      } else {
        expect(files.has(ref), `${ref} is packed`).toBe(true);
      }
    }
    if (key === 'sdk') expect(files.has('dist/export-worker.js')).toBe(true);
    const app = installed(apps.esm);
    const root = path.join(app.dir, 'node_modules', '@fluxloop', key);
    for (const f of files) {
      if (!/\.(c|m)?js$/.test(f)) continue;
      const match = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(fs.readFileSync(path.join(root, f), 'utf8'));
      if (match && !match[1]!.startsWith('data:')) {
        const target = path.posix.join(path.posix.dirname(f), match[1]!);
        expect(files.has(target), `${f} → ${target}`).toBe(true);
      }
    }
  });
});

/**
 * Every `sources` entry of every shipped source map, resolved against the map's folder, must stay inside the
 * package (no absolute build paths, no ../../node_modules), and a source the tarball does not ship must have its
 * text embedded (sourcesContent).
 */
function sourceMapProblems(root: string): string[] {
  const problems: string[] = [];
  const dist = path.join(root, 'dist');
  for (const f of fs.readdirSync(dist).filter((n) => n.endsWith('.map'))) {
    const map = JSON.parse(fs.readFileSync(path.join(dist, f), 'utf8')) as {
      sources: string[];
      sourceRoot?: string;
      sourcesContent?: (string | null)[];
    };
    map.sources.forEach((source, i) => {
      if (path.isAbsolute(source) || /^[a-z][a-z0-9+.-]*:/i.test(source)) {
        problems.push(`dist/${f}: absolute source ${source}`);
        return;
      }
      const resolved = path.resolve(dist, map.sourceRoot ?? '', source);
      const relative = path.relative(root, resolved);
      if (relative.startsWith('..') || path.isAbsolute(relative)) {
        problems.push(`dist/${f}: source ${source} points outside the package`);
      } else if (!fs.existsSync(resolved) && typeof map.sourcesContent?.[i] !== 'string') {
        problems.push(`dist/${f}: source ${source} is neither shipped nor embedded (sourcesContent)`);
      }
    });
  }
  return problems;
}

describe('source maps in the tarballs', () => {
  it('@fluxloop/contract: no source map points outside the package', () => {
    const app = installed(apps.esm);
    expect(sourceMapProblems(path.join(app.dir, 'node_modules', '@fluxloop', 'contract'))).toEqual([]);
  });

  // Known bug: tsup's experimental CommonJS code splitting (packages/sdk/tsup.config.ts `splitting: true` with
  // format cjs) writes .cjs.map files whose sources are the absolute build path of the intermediate file
  // (/work/main/packages/sdk/dist/index.cjs) and ../../../node_modules/tsup/assets/cjs_shims.js.
  it('@fluxloop/sdk: no source map points outside the package', () => {
    const app = installed(apps.esm);
    expect(sourceMapProblems(path.join(app.dir, 'node_modules', '@fluxloop', 'sdk'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The consumer apps
// ---------------------------------------------------------------------------------------------------------------

interface RunOutput {
  output: string;
  shutdownOk: boolean;
  started: string[];
}

interface SubpathsOutput {
  projection: string[];
  iso: string;
  validate: string[];
  empty: { valid: boolean; errors?: string[] };
  trace: { valid: boolean; errors?: string[] };
  observation: { valid: boolean; errors?: string[] };
  observationsFile: { valid: boolean; records: number };
  schema: string;
}

const readJsonl = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.each([
  ['esm', 'ES module app ("type": "module", NodeNext)'],
  ['cjs', 'CommonJS app (require, node16)'],
] as const)('%s: %s', (kind, _label) => {
  const outDir = () => path.join(apps[kind].dir, 'out');
  const agentName = `greet-${kind}`;

  it('installs one copy of each package, from the tarballs', () => {
    const app = installed(apps[kind]);
    const nm = path.join(app.dir, 'node_modules');
    for (const key of ['contract', 'sdk', 'langchain'] as const) {
      const pkg = JSON.parse(fs.readFileSync(path.join(nm, '@fluxloop', key, 'package.json'), 'utf8'));
      expect(pkg.version).toBe(tarballs[key].version);
    }
    // The SDK's dependency on @fluxloop/contract is met by the packed contract, not by a registry copy.
    expect(fs.existsSync(path.join(nm, '@fluxloop', 'sdk', 'node_modules', '@fluxloop', 'contract'))).toBe(false);
    const lock = JSON.parse(fs.readFileSync(path.join(app.dir, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/@fluxloop/contract'].resolved).toMatch(/fluxloop-contract-.*\.tgz$/);
    expect(lock.packages['node_modules/@opentelemetry/api'].version).toBe('1.9.1');
  });

  it(
    'type-checks a file using the public API with tsc',
    async () => {
      const app = installed(apps[kind]);
      const tsconfig = JSON.parse(fs.readFileSync(path.join(app.dir, 'tsconfig.json'), 'utf8'));
      expect(tsconfig.compilerOptions.module).toBe(kind === 'esm' ? 'nodenext' : 'node16');
      const r = await exec(
        process.execPath,
        ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'],
        app.dir,
        60_000,
      );
      expect(r.code, report(r)).toBe(0);
      // check.ts has @ts-expect-error lines for wrong arguments and options: if the packed types were missing or
      // degraded to any, those directives would be unused and tsc would fail, so a pass is not vacuous.
      expect(fs.readFileSync(path.join(app.dir, 'check.ts'), 'utf8')).toContain('@ts-expect-error');
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'traces an agent call to traces.jsonl and observations.jsonl through the export worker thread',
    async () => {
      const app = installed(apps[kind]);
      fs.mkdirSync(outDir(), { recursive: true });
      const script = kind === 'esm' ? 'run.mjs' : 'run.cjs';
      const r = await exec(process.execPath, [script, agentName], app.dir, STEP_TIMEOUT_MS, {
        FLUXLOOP_OUTPUT_DIR: outDir(),
      });
      expect(r.code, report(r)).toBe(0);
      const result = lastJson<RunOutput>(r);
      expect(result.output).toBe(`hello ${kind}`);
      expect(result.shutdownOk).toBe(true);
      // The SDK reported no problem of its own: a worker file that does not load fails over to the main thread
      // with a [fluxloop] warning on stderr, and shutdown() resolves false.
      expect(r.stderr.split('\n').filter((l) => l.includes('[fluxloop]'))).toEqual([]);
      // Exactly one worker, started from the (ESM) worker file in the installed tarball, from either build.
      const workerFile = path.join(
        fs.realpathSync(app.dir),
        'node_modules',
        '@fluxloop',
        'sdk',
        'dist',
        'export-worker.js',
      );
      const started = result.started.map((u) => fs.realpathSync(u.startsWith('file:') ? fileURLToPath(u) : u));
      expect(started).toEqual([workerFile]);

      const traces = readJsonl(path.join(outDir(), 'traces.jsonl'));
      const observations = readJsonl(path.join(outDir(), 'observations.jsonl'));
      expect(traces).toHaveLength(1);
      expect(traces[0]).toMatchObject({ name: agentName, status: 'success', output: `hello ${kind}` });
      expect(observations).toHaveLength(1);
      expect(observations[0]).toMatchObject({
        name: agentName,
        type: 'agent',
        trace_id: traces[0]!.trace_id,
        parent_observation_id: null,
      });
    },
    STEP_TIMEOUT_MS * 2,
  );

  it(
    `${kind === 'esm' ? 'import()' : 'require()'}s @fluxloop/sdk/projection and @fluxloop/contract/validate`,
    async () => {
      const app = installed(apps[kind]);
      const script = kind === 'esm' ? 'subpaths.mjs' : 'subpaths.cjs';
      const r = await exec(process.execPath, [script, outDir()], app.dir, STEP_TIMEOUT_MS);
      expect(r.code, report(r)).toBe(0);
      const result = lastJson<SubpathsOutput>(r);
      expect(result.projection).toEqual(expect.arrayContaining(['TraceAssembler', 'isoFromHrTime', 'encodeTrace']));
      expect(result.iso).toBe('1970-01-01T00:00:00.001500Z');
      expect(result.validate).toEqual(
        expect.arrayContaining(['validate', 'validateTraceRecord', 'validateObservationRecord', 'validateJsonlFile']),
      );
      expect(result.empty.valid).toBe(false);
      expect(result.empty.errors?.join('\n')).toContain('trace_id');
      // The records the app wrote are valid against the published schemas.
      expect(result.trace).toEqual({ valid: true });
      expect(result.observation).toEqual({ valid: true });
      expect(result.observationsFile).toMatchObject({ valid: true, records: 1 });
      expect(result.schema).toMatch(/trace\.schema\.json$/);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    `traces a LangChain runnable with the packed @fluxloop/langchain (${kind === 'esm' ? 'import' : 'require'})`,
    async () => {
      const app = installed(apps[kind]);
      const out = path.join(app.dir, 'out-langchain');
      fs.mkdirSync(out, { recursive: true });
      const r = await exec(
        process.execPath,
        [`langchain.${kind === 'esm' ? 'mjs' : 'cjs'}`],
        app.dir,
        STEP_TIMEOUT_MS,
        {
          FLUXLOOP_OUTPUT_DIR: out,
        },
      );
      expect(r.code, report(r)).toBe(0);
      expect(lastJson<{ output: string; shutdownOk: boolean; openRuns: number }>(r)).toEqual({
        output: 'found A-1',
        shutdownOk: true,
        openRuns: 0,
      });
      expect(r.stderr.split('\n').filter((l) => l.includes('[fluxloop]'))).toEqual([]);
      const observations = readJsonl(path.join(out, 'observations.jsonl'));
      const byName = Object.fromEntries(observations.map((o) => [o.name, o]));
      expect(Object.keys(byName).sort()).toEqual(['lookup', 'outer']);
      expect(byName.outer).toMatchObject({ type: 'chain', parent_observation_id: null });
      expect(byName.lookup).toMatchObject({ type: 'tool', parent_observation_id: byName.outer!.id });
      expect(readJsonl(path.join(out, 'traces.jsonl'))).toHaveLength(1);
    },
    STEP_TIMEOUT_MS,
  );
});
