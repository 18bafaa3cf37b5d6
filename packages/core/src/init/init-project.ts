import fs from 'node:fs';
import path from 'node:path';
import { SDK_VERSION } from '@fluxloop/sdk/capture';
import { UserError } from '../errors.js';
import { corePackage } from './core-package.js';
import { projectNameProblem } from './project-name.js';
import { renderTemplates, type ScaffoldFile } from './templates.js';

export interface InitProjectOptions {
  /** Folder to fill; created when missing. */
  dir: string;
  /** configs/project.yaml's name and package.json's; default the folder's name. Must be a valid npm package name. */
  name?: string;
  /** Overwrite configs and agent.ts when they exist (default: refuse, naming them, and write nothing). */
  force?: boolean;
  /** @fluxloop/sdk version package.json pins; default the SDK this library runs with (the one the CLI ships). */
  sdkVersion?: string;
  /** fluxloop (CLI) version package.json adds as a devDependency; default this library's version. */
  cliVersion?: string;
}

export type InitAction = 'created' | 'overwritten' | 'updated' | 'skipped';

export interface InitFileResult {
  /** Relative to the project folder, forward slashes. */
  path: string;
  action: InitAction;
  /** Why a file was skipped or what an update added. */
  reason?: string;
}

export interface InitResult {
  /** Absolute path of the project folder. */
  root: string;
  name: string;
  files: InitFileResult[];
}

/** init would overwrite files and force was not given: nothing has been written. */
export class InitConflictError extends UserError {
  override readonly name: string = 'InitConflictError';
  constructor(
    readonly root: string,
    readonly files: readonly string[],
  ) {
    super(
      `${root} already holds ${files.length === 1 ? 'a file' : 'files'} that init would overwrite; nothing was written:\n` +
        `${files.map((f) => `  ${f}`).join('\n')}\n` +
        'Move them away, or run again with --force to overwrite them.',
    );
  }
}

/**
 * Scaffolds a FluxLoop project in `dir`: the four configs, .env, recordings/, an example agent that runs offline,
 * and package.json (only when there is none), .gitignore and README.md. Checks every file before writing any, so a
 * refusal leaves the folder untouched.
 */
export function initProject(options: InitProjectOptions): InitResult {
  const root = path.resolve(options.dir);
  const name = options.name ?? path.basename(root);
  const problem = projectNameProblem(name);
  if (problem) {
    const why = 'a project name is a folder name and an npm package name';
    throw new UserError(
      options.name === undefined
        ? `cannot use this folder's name "${name}" as the project name: it ${problem} (${why}); rename the folder, or create a new one with fluxloop init project <name>`
        : `cannot use "${name}" as the project name: it ${problem} (${why})`,
    );
  }
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    throw new UserError(`cannot create the project in ${root}: it is a file, not a folder`);
  }
  const core = corePackage();
  const files = scaffoldFiles(core.root, core.version, name, options);
  const existing = files.filter((f) => fileState(root, f.path) === 'file');
  const blocked = files.filter((f) => fileState(root, f.path) === 'other').map((f) => f.path);
  if (blocked.length) {
    throw new UserError(`cannot write ${blocked.join(', ')} in ${root}: a folder (or something else) is in the way`);
  }
  const conflicts = existing.filter((f) => f.policy === 'replace').map((f) => f.path);
  if (conflicts.length && !options.force) throw new InitConflictError(root, conflicts);
  const results = files.map((file) => writeScaffoldFile(root, file, existing.includes(file)));
  return { root, name, files: results };
}

function fileState(root: string, relative: string): 'missing' | 'file' | 'other' {
  try {
    return fs.statSync(path.join(root, relative)).isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}

function scaffoldFiles(coreRoot: string, coreVersion: string, name: string, options: InitProjectOptions) {
  const templates = renderTemplates(path.join(coreRoot, 'templates', 'project'), {
    name,
    core_version: coreVersion,
  });
  const packageJson = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: {
      generate: 'fluxloop generate inputs',
      experiment: 'fluxloop run experiment',
      doctor: 'fluxloop doctor',
      status: 'fluxloop status',
    },
    dependencies: { '@fluxloop/sdk': options.sdkVersion ?? SDK_VERSION },
    devDependencies: { fluxloop: options.cliVersion ?? coreVersion },
  };
  const files: ScaffoldFile[] = [
    ...templates,
    { path: 'package.json', content: `${JSON.stringify(packageJson, null, 2)}\n`, policy: 'keep' },
    // recordings/ holds what fluxloop record captures; the empty file keeps the folder in git.
    { path: 'recordings/.gitkeep', content: '', policy: 'keep' },
  ];
  return files;
}

function writeScaffoldFile(root: string, file: ScaffoldFile, exists: boolean): InitFileResult {
  const absolute = path.join(root, file.path);
  if (exists && file.policy === 'keep') {
    return { path: file.path, action: 'skipped', reason: keptReason(absolute, file.path) };
  }
  if (exists && file.policy === 'append-lines') {
    const current = fs.readFileSync(absolute, 'utf8');
    const have = new Set(current.split(/\r?\n/).map((line) => line.trim()));
    const missing = file.content.split('\n').filter((line) => line.trim() && !line.startsWith('#') && !have.has(line));
    if (missing.length === 0)
      return { path: file.path, action: 'skipped', reason: 'already lists what FluxLoop needs' };
    const separator = current === '' || current.endsWith('\n') ? '' : '\n';
    fs.appendFileSync(absolute, `${separator}\n# FluxLoop\n${missing.join('\n')}\n`);
    return { path: file.path, action: 'updated', reason: `added ${missing.join(', ')}` };
  }
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, file.content);
  return { path: file.path, action: exists ? 'overwritten' : 'created' };
}

function keptReason(absolute: string, relative: string): string {
  if (relative !== 'package.json') return 'exists; left as it is';
  try {
    const json = JSON.parse(fs.readFileSync(absolute, 'utf8')) as { dependencies?: Record<string, string> };
    if (json.dependencies?.['@fluxloop/sdk']) return 'exists; left as it is';
  } catch {
    // Not JSON: npm will say so; init only explains what the agent needs.
  }
  return 'exists; left as it is: add @fluxloop/sdk to its dependencies (npm install @fluxloop/sdk)';
}
