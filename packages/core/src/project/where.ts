import { ConfigError } from '../errors.js';
import type { Project } from './load.js';
import { CONFIG_FILES, type ConfigName } from './types.js';

/** `configs/simulation.yaml:7:10: runner.http.url`: where a key's value is, to start a message about it. */
export function configWhere(project: Pick<Project, 'locate'>, name: ConfigName, path: string): string {
  const at = project.locate?.(name, path);
  return `${CONFIG_FILES[name]}${at ? `:${at.line}:${at.column}` : ''}: ${path}`;
}

/** A ConfigError whose issues name their line and column where the project can tell; anything else as it is. */
export function withLocations(project: Pick<Project, 'locate'>, err: unknown): unknown {
  if (!(err instanceof ConfigError) || !project.locate) return err;
  const names = Object.entries(CONFIG_FILES) as [ConfigName, string][];
  let located = false;
  const issues = err.issues.map((issue) => {
    const name = names.find(([, file]) => file === issue.file)?.[0];
    const at = issue.line === undefined && name ? project.locate?.(name, issue.path) : undefined;
    if (!at) return issue;
    located = true;
    return { ...issue, ...at };
  });
  return located ? new ConfigError(issues, err.headline) : err;
}
