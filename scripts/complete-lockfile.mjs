// Adds to package-lock.json the platform-specific optional packages that npm could not record.
//
// Why: the registry mirror this project is developed against serves only some platforms' binary packages
// (e.g. @biomejs/cli-darwin-arm64 answers 404). npm then writes a lockfile without those optional entries, and
// `npm ci` refuses it ("Missing: @biomejs/cli-darwin-arm64@ from lock file") even on Linux, where they would be
// skipped anyway. An entry with the package's version and platform fields is all `npm ci` needs to skip it.
// The platform is read from the package name (the convention every such package follows); a name this script
// cannot read is an error, never a guess.
//
// Run after changing dependencies: `npm run lockfile:complete`. `--check` only reports (exit 1 if incomplete).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const lockPath = path.join(root, 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const check = process.argv.includes('--check');

const OS = {
  darwin: 'darwin',
  linux: 'linux',
  win32: 'win32',
  windows: 'win32',
  android: 'android',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  netbsd: 'netbsd',
  sunos: 'sunos',
  aix: 'aix',
  openharmony: 'openharmony',
};
const CPU = {
  x64: 'x64',
  64: 'x64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: 'ia32',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips64el: 'mips64el',
};

/** os / cpu / libc of a platform package, from the words of its name. */
export function platformOf(name) {
  const words = name.replace(/^@[^/]+\//, '').split(/[-_]/);
  const os = words.map((w) => OS[w]).find(Boolean);
  const cpu = words.map((w) => CPU[w]).find(Boolean);
  if (!os || !cpu) return undefined;
  const libc = words.some((w) => w.startsWith('musl')) ? 'musl' : os === 'linux' ? 'glibc' : undefined;
  return { os, cpu, ...(libc ? { libc } : {}) };
}

const added = [];
const unreadable = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${key}/node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    const platform = platformOf(name);
    if (!platform) {
      unreadable.push(`${name}@${version} (optional dependency of ${key || 'the root'})`);
      continue;
    }
    lock.packages[hoisted] = {
      version: version.replace(/^[\^~=]/, ''),
      cpu: [platform.cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os],
    };
    added.push(`${name}@${version}`);
  }
}

if (unreadable.length > 0) {
  console.error(`Cannot tell the platform of these missing optional packages:\n  ${unreadable.join('\n  ')}`);
  process.exit(2);
}
if (check) {
  if (added.length > 0) {
    console.error(`package-lock.json lacks ${added.length} optional platform packages; run npm run lockfile:complete`);
    process.exit(1);
  }
  console.log('package-lock.json is complete');
} else if (added.length > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`added ${added.length} optional platform packages to package-lock.json:\n  ${added.join('\n  ')}`);
} else {
  console.log('package-lock.json already complete');
}
