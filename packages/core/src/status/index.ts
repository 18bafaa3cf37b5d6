export { countLines } from './count-lines.js';
export { getProjectStatus } from './get-status.js';
export type {
  ExperimentEntry,
  ExperimentsStatus,
  FinishedExperiment,
  IncompleteExperiment,
  InputsStatus,
  ProjectStatus,
  RecordingFile,
  RecordingStatus,
  StatusOptions,
} from './types.js';
