import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  name: string;
  version: string;
  /** Absolute path of the folder holding its package.json. */
  root: string;
}

/**
 * @fluxloop/core's own package folder (schemas/, templates/, package.json). Found by walking up from this module
 * because it runs both from src/ (tests) and bundled into dist/.
 */
export function corePackage(): PackageInfo {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const info = readPackageJson(dir);
    if (info?.name === '@fluxloop/core') return info;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`@fluxloop/core: no package.json of @fluxloop/core above ${import.meta.url}`);
    dir = parent;
  }
}

/** name and version of the package.json in `dir`, or undefined when there is none (or it is not JSON). */
export function readPackageJson(dir: string): PackageInfo | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const json = JSON.parse(text) as { name?: unknown; version?: unknown };
    return { name: String(json.name ?? ''), version: String(json.version ?? ''), root: dir };
  } catch {
    return undefined;
  }
}

/**
 * The copy of `name` that Node's resolution would find from `fromDir`: the nearest node_modules/<name> walking
 * up. Read from the file system rather than require.resolve, which refuses packages that do not export
 * ./package.json.
 */
export function findInstalledPackage(name: string, fromDir: string): PackageInfo | undefined {
  let dir = path.resolve(fromDir);
  for (;;) {
    const info = readPackageJson(path.join(dir, 'node_modules', ...name.split('/')));
    if (info) return info;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
