import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadProject } from '../../../../src/project/load.js';
import type { HttpTarget, ProcessTarget } from '../../../../src/project/types.js';
import type { TargetEnvironment } from '../../../../src/runner/types.js';
import { tempProject } from '../../../helpers/project.js';

export interface Configured<T> {
  /** The runner section as loadProject returns it: validated, with the schema's defaults filled in. */
  config: T;
  env: TargetEnvironment;
  root: string;
}

/**
 * A real project whose configs/simulation.yaml holds `runner` (plus `files`, relative to the root), loaded the
 * way the CLI loads it. `env` is the environment targets see.
 */
export function configure(
  runner: Record<string, unknown>,
  env: Record<string, string> = {},
  files: Record<string, string> = {},
  otlpEndpoint = 'http://127.0.0.1:9',
): { root: string; env: TargetEnvironment; runner: { http?: HttpTarget; process?: ProcessTarget } } {
  const root = tempProject({
    'configs/project.yaml': 'name: remote-demo\n',
    'configs/simulation.yaml': YAML.stringify({ runner }),
    ...files,
  });
  const project = loadProject({ cwd: root, env: {} });
  return { root, runner: project.need('simulation').runner, env: { project, env, otlpEndpoint } };
}

export function httpConfig(http: Record<string, unknown>, env: Record<string, string> = {}): Configured<HttpTarget> {
  const { runner, ...rest } = configure({ http }, env);
  return { config: runner.http!, ...rest };
}

/** A process target running `node <script>` where the script is written into the project as agent.mjs/.cjs. */
export function processConfig(
  script: string,
  options: {
    mode?: 'per_run' | 'persistent';
    env?: Record<string, string>;
    configEnv?: Record<string, string>;
    otlpEndpoint?: string;
    file?: string;
  } = {},
): Configured<ProcessTarget> {
  const file = options.file ?? 'agent.mjs';
  const process_ = {
    command: process.execPath,
    args: [file],
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.configEnv ? { env: options.configEnv } : {}),
  };
  const { runner, ...rest } = configure(
    { process: process_ },
    { PATH: process.env.PATH ?? '', ...options.env },
    { [file]: script },
    options.otlpEndpoint,
  );
  return { config: runner.process!, ...rest };
}

export function writeFile(root: string, file: string, content: string): string {
  const absolute = path.join(root, file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, content);
  return absolute;
}
