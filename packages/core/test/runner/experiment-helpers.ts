import {
  type ExperimentOverrides,
  type ExperimentReporter,
  loadProject,
  type RunContext,
  runExperiment,
  type SpanSink,
  type Target,
} from '../../src/index.js';
import { tempProject } from '../helpers/project.js';
import { type Artifacts, consistencyProblems, readArtifacts } from './artifacts.js';

/** A real in-process target around a function, as a module target would wrap it. */
export function functionTarget(
  fn: (input: string, ctx: RunContext) => unknown,
  options: { description?: string; remoteSpans?: boolean } = {},
): Target {
  return {
    kind: options.remoteSpans ? 'http' : 'module',
    description: options.description ?? './agent.ts:run',
    remoteSpans: options.remoteSpans ?? false,
    invoke: async (input, ctx) => fn(input as string, ctx),
    close: async () => {},
  };
}

export interface ExperimentSetup {
  /** Extra top-level lines of configs/simulation.yaml. */
  simulation?: string;
  /** The keys of runner, one per line, unindented (default: target: ./agent.ts:run). */
  runner?: string;
  inputs?: string[];
  personas?: string[];
  capture?: 'full' | 'redacted' | 'none';
  target: (sink: SpanSink) => Target;
  overrides?: ExperimentOverrides;
  signal?: AbortSignal;
  graceMs?: number;
  reporter?: ExperimentReporter;
}

const yamlList = (items: string[], indent: string, key: string) =>
  items.map((item) => `${indent}- ${key}${JSON.stringify(item)}`).join('\n');

/** Runs an experiment in a temporary project and reads back its folder, checked against schemas and itself. */
export async function experimentIn(setup: ExperimentSetup) {
  const inputs = setup.inputs ?? ['hello'];
  const personas = setup.personas ?? [];
  const root = tempProject({
    'configs/project.yaml': `name: demo\ncapture: ${setup.capture ?? 'full'}\n`,
    'configs/input.yaml':
      (personas.length ? `personas:\n${yamlList(personas, '  ', 'name: ')}\n` : '') +
      `base_inputs:\n${yamlList(inputs, '  ', 'input: ')}\n`,
    'configs/simulation.yaml': `runner:\n${(setup.runner ?? 'target: ./agent.ts:run')
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n')}\n${setup.simulation ?? ''}\n`,
  });
  const project = loadProject({ cwd: root, env: {} });
  const warnings: string[] = [];
  const result = await runExperiment({
    project,
    target: setup.target,
    ...(setup.overrides ? { overrides: setup.overrides } : {}),
    ...(setup.signal ? { signal: setup.signal } : {}),
    ...(setup.graceMs !== undefined ? { interruptGraceMs: setup.graceMs } : {}),
    reporter: { ...setup.reporter, warn: (m) => warnings.push(m) },
  });
  const artifacts: Artifacts = await readArtifacts(result.dir);
  return { root, result, artifacts, warnings, problems: consistencyProblems(artifacts) };
}

/** The run fields of trace_summary lines, in input order (runs finish in any order). */
export function runsByInput(artifacts: Artifacts) {
  return [...artifacts.traceSummaries]
    .sort((a, b) => String(a.input).localeCompare(String(b.input)) || a.iteration - b.iteration)
    .map((s) => ({ input: s.input, success: s.success, error: s.error, output: s.output, attempts: s.attempts }));
}
