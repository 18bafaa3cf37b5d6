import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { loadProjectEnvironment, type ProjectEnvironment } from './dotenv.js';
import { findProjectRoot } from './find.js';
import { SchemaChecker, type SchemaName } from './schema-check.js';
import { semanticIssues } from './semantic-checks.js';
import { CONFIG_FILES, type ConfigName, type ConfigTypes } from './types.js';
import { parseYamlSource, pathSegments, type YamlSource } from './yaml-source.js';

/** A loaded project: every config file that exists, validated, with defaults filled in. */
export interface Project {
  /** Absolute path of the folder holding configs/project.yaml. */
  root: string;
  configs: { project: ConfigTypes['project'] } & Partial<Omit<ConfigTypes, 'project'>>;
  env: ProjectEnvironment;
  /** Absolute path of a path written in a config (relative paths resolve against the root, never the cwd). */
  resolve(p: string): string;
  /** A config the command cannot do without, or a ConfigError saying the file is missing. */
  need<K extends ConfigName>(name: K): ConfigTypes[K];
  /**
   * Line and column of the value at a dotted path (`runner.http.url`) in a loaded config, or of its nearest
   * existing ancestor; undefined when the file was not loaded. For problems found after loading (a target
   * module that is missing, an unset variable) to name their line like the loader's own.
   */
  locate?(name: ConfigName, path: string): { line: number; column: number } | undefined;
}

export interface LoadProjectOptions {
  cwd: string;
  /** `--project DIR`; default FLUXLOOP_PROJECT_DIR from env, else the walk up from cwd. */
  projectDir?: string;
  /** The real environment (default process.env); read, never written. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Reads and validates one YAML file; an unreadable file is an issue like any other. */
export function readYamlFile(absolute: string, display: string): YamlSource | ConfigIssue {
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (err) {
    return { file: display, path: '', message: `cannot read: ${(err as Error).message}` };
  }
  return parseYamlSource(text, display);
}

/**
 * Finds the project and loads configs/*.yaml, reporting every problem of every file at once as one ConfigError
 * (file, line, column, key path, allowed values). Missing optional files are left undefined; project.yaml must
 * exist since it is what makes the folder a project.
 */
export function loadProject(options: LoadProjectOptions): Project {
  const env = options.env ?? process.env;
  const root = findProjectRoot({
    cwd: options.cwd,
    ...(options.projectDir !== undefined || env.FLUXLOOP_PROJECT_DIR
      ? { projectDir: options.projectDir ?? env.FLUXLOOP_PROJECT_DIR }
      : {}),
  });
  const checker = new SchemaChecker();
  const issues: ConfigIssue[] = [];
  const configs: Record<string, unknown> = {};
  const sources: Partial<Record<ConfigName, YamlSource>> = {};
  for (const [name, file] of Object.entries(CONFIG_FILES) as [ConfigName, string][]) {
    const absolute = path.join(root, file);
    if (name !== 'project' && !fs.existsSync(absolute)) continue;
    const source = readYamlFile(absolute, file);
    if (!('value' in source)) {
      issues.push(source);
      continue;
    }
    if (source.issues.length) {
      issues.push(...source.issues);
      continue;
    }
    const problems = checker.check(name as SchemaName, source);
    issues.push(...problems);
    if (problems.length === 0) {
      configs[name] = source.value;
      sources[name] = source;
    }
  }
  issues.push(...semanticIssues(configs as Partial<ConfigTypes>, sources));
  if (issues.length) throw new ConfigError(issues);
  const resolve = (p: string) => path.resolve(root, p);
  return {
    root,
    configs: configs as Project['configs'],
    env: loadProjectEnvironment(root, env),
    resolve,
    need(name) {
      const config = configs[name];
      if (config === undefined) {
        throw new ConfigError(
          [{ file: CONFIG_FILES[name], path: '', message: 'is missing: create it (fluxloop init project writes one)' }],
          `this command needs ${CONFIG_FILES[name]}:`,
        );
      }
      return config as ConfigTypes[typeof name];
    },
    locate: (name, dotted) => sources[name]?.locate(pathSegments(dotted)),
  };
}
