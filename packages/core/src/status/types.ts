import type { TokenUsage } from '@fluxloop/contract';

export interface StatusOptions {
  /** Where the project is looked for (walking up), and the base of a relative projectDir. */
  cwd: string;
  /** `--project DIR`; default FLUXLOOP_PROJECT_DIR from env, else the walk up from cwd. */
  projectDir?: string;
  /** The real environment (the project's .env is read under it); never written. */
  env: Readonly<Record<string, string | undefined>>;
  /** How many of the newest experiments to list; default 5. */
  limit?: number;
}

/** What `fluxloop status --json` prints. Keys are snake_case like the artifacts. */
export interface ProjectStatus {
  project: {
    /** From configs/project.yaml; null when that file is invalid. */
    name: string | null;
    root: string;
  };
  configs: {
    valid: boolean;
    /** The config files that exist, relative to the root. */
    files: string[];
    /** Every problem, as `file:line:column: path: message`. */
    issues: string[];
  };
  inputs: InputsStatus;
  /** The configured target; null when configs/simulation.yaml is missing or invalid. */
  target: { kind: 'module' | 'http' | 'process'; description: string } | null;
  recording: RecordingStatus;
  experiments: ExperimentsStatus;
}

export type InputsStatus =
  | { count: number; source: 'file'; file: string }
  | { count: number; source: 'base_inputs' }
  | { count: 0; source: 'none'; problem: string };

export interface RecordingStatus {
  /** FLUXLOOP_RECORD_ARGS as the SDK reads it: the real environment first, then the project's .env. */
  record_args: {
    enabled: boolean;
    /** The raw value; null when unset. */
    value: string | null;
    source: 'environment' | '.env' | 'unset';
    /** Set when the value is not a boolean the SDK accepts (it then fails to configure). */
    problem?: string;
  };
  /** replay_args of configs/simulation.yaml; null when that file is missing or invalid. */
  replay: { enabled: boolean; recording_file: string; function: string | null } | null;
  /** Files under recordings/ (and the replay file wherever it is), relative to the root. */
  files: RecordingFile[];
}

export interface RecordingFile {
  path: string;
  lines: number;
  bytes: number;
  /** The file replay_args.recording_file names. */
  replay: boolean;
}

export interface ExperimentsStatus {
  /** output_directory, relative to the root. */
  directory: string;
  /** Experiment folders found (listed or not). */
  total: number;
  /** The newest ones, newest first. */
  recent: ExperimentEntry[];
}

export type ExperimentEntry = FinishedExperiment | IncompleteExperiment;

export interface FinishedExperiment {
  /** The folder's name (the experiment id). */
  id: string;
  name: string;
  status: 'completed' | 'interrupted';
  started_at: string;
  finished_at: string;
  runs: number;
  successful: number;
  failed: number;
  success_rate: number;
  p50_ms: number;
  p95_ms: number;
  token_usage: TokenUsage;
}

/** A folder without a valid summary.json: a run in progress, or one that crashed. */
export interface IncompleteExperiment {
  id: string;
  status: 'incomplete';
  /** Why it is not listed as finished: no summary.json, or what is wrong with it. */
  reason: string;
  /** Lines of trace_summary.jsonl so far (one per finished run). */
  runs_recorded: number;
  /** The folder's creation time (its modification time where the file system keeps no creation time). */
  started_at: string;
}
