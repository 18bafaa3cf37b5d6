import type { ExperimentResult, RunExperimentOptions } from './experiment.js';

export type {
  ExperimentProgress,
  ExperimentReporter,
  ExperimentResult,
  ExperimentStarted,
  RunExperimentOptions,
  RunReport,
} from './experiment.js';
export { createExperimentFolder, type ExperimentFolder, type ExperimentFolderOptions } from './experiment-id.js';
export { loadModuleTarget, type TargetCallContext } from './module-target.js';
export type { AttemptStatus } from './run-attempt.js';
export { type ExperimentOverrides, type ExperimentSettings, resolveSettings } from './settings.js';
export type { RouterStats } from './span-router.js';
export type {
  OtlpReceiver,
  RemoteTargetFactories,
  RemoteTargetsLoader,
  RunContext,
  SpanSink,
  Target,
  TargetEnvironment,
  TargetKind,
} from './types.js';

/**
 * Runs an experiment (see experiment.ts). The orchestrator, OpenTelemetry's SDK and tsx are imported here, on
 * first use, so that importing @fluxloop/core (every CLI command does) stays cheap.
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentResult> {
  const { runExperiment: run } = await import('./experiment.js');
  return run(options);
}
