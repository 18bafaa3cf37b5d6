import { ConfigError } from '../errors.js';

/** A module target as written in `runner.target`: which module, which export, and optionally which method. */
export interface TargetSpec {
  /** Module specifier: a path relative to the project root (`./agent.ts`) or a package name. */
  module: string;
  /** Export to call: `default` when the spec names only the module. */
  exportName: string;
  /** For `module:Class.method`: the method called on an instance of the export. */
  method?: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function invalid(spec: string, why: string): ConfigError {
  return new ConfigError([
    {
      file: 'configs/simulation.yaml',
      path: 'runner.target',
      message: `"${spec}" ${why}; expected ./agent.ts:run (a named export), ./agent.ts (the default export) or ./agent.ts:Agent.handle (a method)`,
    },
  ]);
}

/**
 * Splits `./agent.ts:run`, `./agent.ts`, `./agent.ts:Agent.handle` or `pkg/sub:run`. The export part is after
 * the last colon that follows the last path separator, so `C:\agents\a.ts:run` works too.
 */
export function parseTargetSpec(spec: string): TargetSpec {
  const lastSeparator = Math.max(spec.lastIndexOf('/'), spec.lastIndexOf('\\'));
  const colon = spec.indexOf(':', lastSeparator + 1);
  const drive = /^[A-Za-z]:[\\/]/.test(spec) && colon === 1;
  if (colon === -1 || drive) {
    if (!spec.trim()) throw invalid(spec, 'is empty');
    return { module: spec, exportName: 'default' };
  }
  const module = spec.slice(0, colon);
  const member = spec.slice(colon + 1);
  if (!module) throw invalid(spec, 'names no module');
  const parts = member.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p))) {
    throw invalid(spec, `has "${member}" after the colon, which is not an export name or Class.method`);
  }
  return parts.length === 2 ? { module, exportName: parts[0]!, method: parts[1]! } : { module, exportName: parts[0]! };
}
