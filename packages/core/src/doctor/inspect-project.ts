import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { loadProjectEnvironment, type ProjectEnvironment } from '../project/dotenv.js';
import { findProjectRoot } from '../project/find.js';
import { loadProject, type Project, readYamlFile } from '../project/load.js';
import { SchemaChecker, type SchemaName } from '../project/schema-check.js';
import { CONFIG_FILES, type ConfigName, type ConfigTypes } from '../project/types.js';

/**
 * A project as doctor and status see it: loaded when every config is valid, and otherwise still as much of it as
 * is valid, so that checks of the valid parts go on (a broken input.yaml does not hide a missing target file).
 */
export type ProjectInspection =
  | { found: false; message: string }
  | {
      found: true;
      root: string;
      /** Every config file that exists and is valid, with defaults filled in. */
      configs: Partial<ConfigTypes>;
      /** The config files that exist. */
      present: ConfigName[];
      /** Every problem loadProject reports (empty when the project loads). */
      issues: ConfigIssue[];
      env: ProjectEnvironment;
      resolve(p: string): string;
    };

export interface InspectOptions {
  cwd: string;
  projectDir?: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Finds and loads the project; configuration problems are returned, not thrown. */
export function inspectProject(options: InspectOptions): ProjectInspection {
  const projectDir = options.projectDir ?? options.env.FLUXLOOP_PROJECT_DIR;
  let root: string;
  try {
    root = findProjectRoot({ cwd: options.cwd, ...(projectDir ? { projectDir } : {}) });
  } catch (err) {
    return { found: false, message: (err as Error).message };
  }
  const present = (Object.entries(CONFIG_FILES) as [ConfigName, string][])
    .filter(([, file]) => fs.existsSync(path.join(root, file)))
    .map(([name]) => name);
  const resolve = (p: string) => path.resolve(root, p);
  try {
    const project = loadProject({ cwd: root, projectDir: root, env: options.env });
    return { found: true, root, configs: project.configs, present, issues: [], env: project.env, resolve };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // loadProject's issues are the authority; the files they do not mention are read again on their own.
    const broken = new Set(err.issues.map((issue) => issue.file));
    const configs: Partial<Record<ConfigName, unknown>> = {};
    const checker = new SchemaChecker();
    for (const name of present) {
      const file = CONFIG_FILES[name];
      if (broken.has(file)) continue;
      const source = readYamlFile(path.join(root, file), file);
      if ('value' in source && source.issues.length === 0 && checker.check(name as SchemaName, source).length === 0) {
        configs[name] = source.value;
      }
    }
    return {
      found: true,
      root,
      configs: configs as Partial<ConfigTypes>,
      present,
      issues: [...err.issues],
      env: loadProjectEnvironment(root, options.env),
      resolve,
    };
  }
}

/**
 * A Project for the library functions that read only some configs (readInputEntries reads input, root and
 * resolve). project.yaml may be the invalid part: then its name is the folder's, which nothing here reports.
 */
export function asProject(inspection: Extract<ProjectInspection, { found: true }>): Project {
  const { root, configs, env, resolve } = inspection;
  return {
    root,
    configs: { ...configs, project: configs.project ?? { name: path.basename(root), capture: 'full' } },
    env,
    resolve,
    need(name) {
      const config = configs[name];
      if (config === undefined)
        throw new ConfigError([{ file: CONFIG_FILES[name], path: '', message: 'is missing or invalid' }]);
      return config as ConfigTypes[typeof name];
    },
  };
}
