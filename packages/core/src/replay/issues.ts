import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Project } from '../project/load.js';
import { parseYamlSource } from '../project/yaml-source.js';

const SIMULATION = 'configs/simulation.yaml';

/**
 * A problem with replay_args, pointing at the key's line in configs/simulation.yaml (or at replay_args when the
 * key is not written there).
 */
export function replayConfigError(project: Project, key: string, message: string): ConfigError {
  let position: { line: number; column: number } | undefined;
  try {
    const source = parseYamlSource(fs.readFileSync(path.join(project.root, SIMULATION), 'utf8'), SIMULATION);
    position = source.locate(['replay_args', key], true) ?? source.locate(['replay_args'], true);
  } catch {
    // Positions are a help, not a requirement: the message names the key either way.
  }
  return new ConfigError([{ file: SIMULATION, ...position, path: `replay_args.${key}`, message }]);
}
