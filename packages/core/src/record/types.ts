import type { RecordingFile, RecordingStatus } from '../status/types.js';
import type { RecordingContent } from './recording-scan.js';

export interface RecordProjectOptions {
  /** Where the project is looked for (walking up), and the base of relative paths given on the command line. */
  cwd: string;
  /** `--project DIR`; default FLUXLOOP_PROJECT_DIR from env, else the walk up from cwd. */
  projectDir?: string;
  /** The real environment (it wins over .env for the SDK); read, never written. */
  env: Readonly<Record<string, string | undefined>>;
}

export interface EnableRecordingOptions extends RecordProjectOptions {
  /** Sets replay_args.recording_file and FLUXLOOP_RECORDING_FILE to this file (relative to cwd). */
  recordingFile?: string;
  /** Sets replay_args.override_param_path. */
  overrideParamPath?: string;
}

export interface DisableRecordingOptions extends RecordProjectOptions {
  /** Also sets replay_args.enabled: false. */
  disableReplay?: boolean;
}

/** replay_args as configs/simulation.yaml has it (defaults filled in). */
export interface ReplaySettings {
  enabled: boolean;
  recording_file: string;
  override_param_path: string | null;
  function: string | null;
}

/** One setting record enable or disable wrote, or found already set. */
export interface SettingChange {
  /** `.env` or `configs/simulation.yaml`. */
  file: string;
  /** `FLUXLOOP_RECORD_ARGS`, `replay_args.enabled`, ... */
  setting: string;
  value: string;
  /** The value before; null when it was not set. */
  previous: string | null;
  changed: boolean;
}

export interface RecordEditResult {
  root: string;
  changes: SettingChange[];
  files: { path: string; action: 'created' | 'updated' | 'unchanged' }[];
  /** Things that keep the settings from working as written (the environment overriding .env, ...). */
  warnings: string[];
  /** replay_args after the edit; null when configs/simulation.yaml was not read (or is not valid YAML). */
  replay: ReplaySettings | null;
  /** record enable: the file the SDK appends to, as the environment and .env now say. */
  records_to?: RecordingReport['recording_file'];
  /**
   * record enable, when no override_param_path is set: paths to choose from in the newest recording of
   * replay_args.recording_file (empty when there is none yet).
   */
  suggestions?: OverridePathSuggestions;
}

export interface OverridePathSuggestions {
  candidates: string[];
  /** The recorded call they come from; null when the recording file has none. */
  from: { file: string; line: number; function: string; timestamp: string | null } | null;
}

/** What `fluxloop record status --json` prints. */
export interface RecordingReport {
  root: string;
  record_args: RecordingStatus['record_args'] & {
    /** FLUXLOOP_RECORD_ARGS as the project's .env sets it; null when it does not. */
    dotenv: string | null;
    /** FLUXLOOP_RECORD_ARGS in the real environment (it wins over .env); null when unset. */
    environment: string | null;
  };
  /** The file the SDK appends to: FLUXLOOP_RECORDING_FILE from the environment, else .env, else the default. */
  recording_file: { path: string; source: 'environment' | '.env' | 'default' };
  /** replay_args; null when configs/simulation.yaml is missing or invalid. */
  replay: ReplaySettings | null;
  files: RecordingFileReport[];
  /** Configuration errors (the command's exit code is 2 when there are any). */
  problems: string[];
  warnings: string[];
}

export interface RecordingFileReport extends RecordingFile, RecordingContent {
  /** The file the SDK appends to (recording_file above). */
  sdk_writes: boolean;
}
