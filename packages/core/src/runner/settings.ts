import { UserError } from '../errors.js';
import type { Project } from '../project/load.js';
import type { CaptureSetting, RunnerConfig, SimulationConfig } from '../project/types.js';

/** Flags that override configs/simulation.yaml for one experiment (`fluxloop run experiment --iterations 3 ...`). */
export interface ExperimentOverrides {
  iterations?: number;
  concurrency?: number;
  timeoutSeconds?: number;
  retries?: number;
  otlpPort?: number;
  /** Experiment name (summary.json `name`, every trace's name). */
  name?: string;
  /** Folder that holds `<experiment-id>/`; a relative path resolves against the project root. */
  outputDir?: string;
  failOnRunErrors?: boolean;
}

/** What one experiment runs with: configs/simulation.yaml with its defaults, under the overrides. */
export interface ExperimentSettings {
  name: string;
  iterations: number;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  failOnRunErrors: boolean;
  tags: string[];
  metadata: Record<string, unknown>;
  /** Absolute folder holding the experiment folders. */
  outputDirectory: string;
  runner: RunnerConfig;
  capture: CaptureSetting;
  serviceName: string;
  /** The simulation config as it applies (overrides written into it): what summary.json's `config` shows. */
  effectiveSimulation: SimulationConfig;
}

type NumericOverride = 'iterations' | 'concurrency' | 'timeoutSeconds' | 'retries' | 'otlpPort';

const isInt = (min: number, max: number) => (v: number) => Number.isInteger(v) && v >= min && v <= max;

/** The bounds of simulation.schema.json, for values that arrive as flags or from library callers. */
const BOUNDS: Record<NumericOverride, { ok: (v: number) => boolean; expected: string }> = {
  iterations: { ok: isInt(1, Number.MAX_SAFE_INTEGER), expected: 'an integer of at least 1' },
  concurrency: { ok: isInt(1, 1024), expected: 'an integer from 1 to 1024' },
  timeoutSeconds: { ok: (v) => Number.isFinite(v) && v > 0, expected: 'a number of seconds above 0' },
  retries: { ok: isInt(0, 10), expected: 'an integer from 0 to 10' },
  otlpPort: { ok: isInt(0, 65535), expected: 'a port from 0 to 65535' },
};

function checkOverrides(overrides: ExperimentOverrides): void {
  for (const [key, bound] of Object.entries(BOUNDS)) {
    const value = overrides[key as NumericOverride];
    if (value !== undefined && !bound.ok(value)) {
      throw new UserError(`${key} override ${value} is invalid: expected ${bound.expected}`);
    }
  }
  if (overrides.name !== undefined && overrides.name.trim() === '') {
    throw new UserError('name override is empty: expected a non-empty experiment name');
  }
}

export function resolveSettings(project: Project, overrides: ExperimentOverrides = {}): ExperimentSettings {
  checkOverrides(overrides);
  const simulation = project.need('simulation');
  const effective: SimulationConfig = {
    ...simulation,
    name: overrides.name ?? simulation.name ?? project.configs.project.name,
    iterations: overrides.iterations ?? simulation.iterations,
    concurrency: overrides.concurrency ?? simulation.concurrency,
    timeout_seconds: overrides.timeoutSeconds ?? simulation.timeout_seconds,
    retries: overrides.retries ?? simulation.retries,
    fail_on_run_errors: overrides.failOnRunErrors ?? simulation.fail_on_run_errors,
    output_directory: overrides.outputDir ?? simulation.output_directory,
    runner: { ...simulation.runner, otlp_port: overrides.otlpPort ?? simulation.runner.otlp_port },
  };
  return {
    name: effective.name!,
    iterations: effective.iterations,
    concurrency: effective.concurrency,
    timeoutMs: effective.timeout_seconds * 1000,
    retries: effective.retries,
    failOnRunErrors: effective.fail_on_run_errors,
    tags: effective.tags,
    metadata: effective.metadata,
    outputDirectory: project.resolve(effective.output_directory),
    runner: effective.runner,
    capture: project.configs.project.capture,
    serviceName: project.configs.project.name,
    effectiveSimulation: effective,
  };
}
