import path from 'node:path';
import { displayUrl } from '../doctor/http-probe.js';
import { asProject, inspectProject } from '../doctor/inspect-project.js';
import { ConfigError, formatIssue, ProjectNotFoundError } from '../errors.js';
import { readInputEntries } from '../project/entries.js';
import { CONFIG_FILES, type SimulationConfig } from '../project/types.js';
import { listExperiments } from './experiments.js';
import { recordingStatus } from './recordings.js';
import type { InputsStatus, ProjectStatus, StatusOptions } from './types.js';

const DEFAULT_LIMIT = 5;
const DEFAULT_OUTPUT_DIRECTORY = 'experiments';

/**
 * The project at a glance: configs, inputs, target, recording state and the newest experiments. Invalid configs
 * are reported, not thrown, so status works on a broken project; only a missing project is an error.
 */
export async function getProjectStatus(options: StatusOptions): Promise<ProjectStatus> {
  const inspection = inspectProject({
    cwd: options.cwd,
    env: options.env,
    ...(options.projectDir !== undefined ? { projectDir: options.projectDir } : {}),
  });
  if (!inspection.found) throw new ProjectNotFoundError(inspection.message);
  const { root, configs } = inspection;
  const simulation = configs.simulation;
  const directory = simulation?.output_directory ?? DEFAULT_OUTPUT_DIRECTORY;
  const [recording, experiments] = await Promise.all([
    recordingStatus(root, inspection.env, simulation?.replay_args),
    listExperiments(inspection.resolve(directory), options.limit ?? DEFAULT_LIMIT),
  ]);
  return {
    project: { name: configs.project?.name ?? null, root },
    configs: {
      valid: inspection.issues.length === 0,
      files: inspection.present.map((name) => CONFIG_FILES[name]),
      issues: inspection.issues.map(formatIssue),
    },
    inputs: inputsStatus(inspection),
    target: simulation ? describeTarget(simulation) : null,
    recording,
    experiments: { directory: path.relative(root, inspection.resolve(directory)) || '.', ...experiments },
  };
}

function inputsStatus(inspection: Parameters<typeof asProject>[0]): InputsStatus {
  if (inspection.present.includes('input') && !inspection.configs.input) {
    return { count: 0, source: 'none', problem: `${CONFIG_FILES.input} is invalid` };
  }
  try {
    const { entries, source } = readInputEntries(asProject(inspection));
    if (source.kind === 'base_inputs') return { count: entries.length, source: 'base_inputs' };
    const file = path.relative(inspection.root, source.file).split(path.sep).join('/');
    return { count: entries.length, source: 'file', file };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { count: 0, source: 'none', problem: err.issues.map(formatIssue).join('; ') };
  }
}

function describeTarget(simulation: SimulationConfig): NonNullable<ProjectStatus['target']> {
  const { runner } = simulation;
  if (runner.http) return { kind: 'http', description: `${runner.http.method} ${displayUrl(runner.http.url)}` };
  if (runner.process) {
    return { kind: 'process', description: [runner.process.command, ...runner.process.args].join(' ') };
  }
  return { kind: 'module', description: runner.target! };
}
