import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Artifacts, consistencyProblems, readArtifacts } from '../../core/test/runner/artifacts.js';
import { tempDir } from './helpers/cli.js';

const WORKSPACE_FLUXLOOP = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'node_modules',
  '@fluxloop',
);

export interface ProjectFiles {
  /** "module" for an ESM project; omitted: no "type" (CommonJS). */
  type?: 'module';
  simulation: string;
  inputs: string[];
  personas?: string[];
  files: Record<string, string>;
}

/**
 * A project folder as a user would have it after `npm install @fluxloop/sdk`: its own package.json, and
 * node_modules/@fluxloop linking to the workspace's packages so that `@fluxloop/sdk` resolves from the agent.
 */
export function projectDir(p: ProjectFiles): string {
  const root = tempDir('fluxloop-run-');
  const personas = p.personas ?? [];
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'agent-under-test', private: true, ...(p.type ? { type: p.type } : {}) }),
    'configs/project.yaml': 'name: e2e\n',
    'configs/input.yaml':
      (personas.length ? `personas:\n${personas.map((n) => `  - name: ${n}`).join('\n')}\n` : '') +
      `base_inputs:\n${p.inputs.map((i) => `  - input: ${JSON.stringify(i)}`).join('\n')}\n`,
    'configs/simulation.yaml': p.simulation,
    ...p.files,
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(WORKSPACE_FLUXLOOP, path.join(root, 'node_modules', '@fluxloop'));
  return root;
}

/** The experiment folders under `<root>/experiments`. */
export function experimentDirs(root: string, output = 'experiments'): string[] {
  const dir = path.join(root, output);
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((id) => path.join(dir, id)) : [];
}

/** The one experiment folder's files, validated against the contract and checked for agreement. */
export async function onlyExperiment(root: string): Promise<Artifacts> {
  const dirs = experimentDirs(root);
  if (dirs.length !== 1) throw new Error(`expected one experiment folder, found ${dirs.length}`);
  const artifacts = await readArtifacts(dirs[0]!);
  const problems = consistencyProblems(artifacts);
  if (problems.length) throw new Error(`artifacts disagree:\n${problems.join('\n')}`);
  return artifacts;
}

/** Every line of a JSONL file parses (files written line by line stay valid whenever the process stops). */
export function jsonlLines(file: string): unknown[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
