import { builtinModules } from 'node:module';

const MAX_LENGTH = 214;
// Folder names Windows refuses whatever the extension.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/;

/**
 * Why `name` cannot be a project name, or undefined when it can. A project name is a folder name and an npm
 * package name at once (package.json uses it), so: lowercase letters, digits, '-', '.', '_', starting with a
 * letter or digit, at most 214 characters, not a Node.js built-in module, not a name Windows reserves.
 */
export function projectNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_LENGTH) return `is ${name.length} characters long; npm allows at most ${MAX_LENGTH}`;
  if (name !== name.trim()) return 'starts or ends with a space';
  if (name.startsWith('@') || name.includes('/') || name.includes('\\'))
    return 'is a path or a scoped name; use a plain folder name such as my-agent';
  if (/[A-Z]/.test(name)) {
    const lower = name.toLowerCase();
    const hint = projectNameProblem(lower) === undefined ? ` (try ${lower})` : '';
    return `has capital letters; npm package names are lowercase${hint}`;
  }
  if (/^[._-]/.test(name)) return 'must start with a letter or a digit';
  const bad = [...new Set(name.replace(/[a-z0-9._-]/g, ''))];
  if (bad.length)
    return `contains ${bad.map((c) => JSON.stringify(c)).join(', ')}; use lowercase letters, digits, -, . and _`;
  if (builtinModules.includes(name) || name === 'node_modules' || name === 'favicon.ico')
    return 'is reserved (a Node.js built-in module or an npm reserved name)';
  if (WINDOWS_RESERVED.test(name)) return 'is a device name Windows reserves';
  return undefined;
}
