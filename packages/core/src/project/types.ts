/**
 * The configuration files of a project, as loaded: validated against schemas/*.schema.json with their defaults
 * filled in. The schemas are the source of truth (and the user's documentation); these types follow them, and
 * test/project/schema-types.test.ts checks that they agree.
 */

export const STRATEGIES = [
  'rephrase',
  'verbose',
  'concise',
  'error_prone',
  'typo',
  'casual',
  'formal',
  'multilingual',
  'adversarial',
  'persona_based',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export type CaptureSetting = 'full' | 'redacted' | 'none';

export interface ProjectConfig {
  name: string;
  description?: string;
  capture: CaptureSetting;
  collector?: { url: string; token_env: string };
}

export interface Persona {
  name: string;
  description?: string;
  characteristics?: string[];
  expertise_level?: 'novice' | 'intermediate' | 'expert';
  language?: string;
  goals?: string[];
  metadata?: Record<string, unknown>;
}

export interface BaseInput {
  input: string;
  expected?: string;
  personas?: string[];
  metadata?: Record<string, unknown>;
}

export type LlmProvider = 'openai' | 'anthropic' | 'openai_compatible';

export interface LlmSettings {
  provider: LlmProvider;
  model?: string;
  base_url?: string;
  api_key_env?: string;
  temperature: number;
  max_tokens: number;
  concurrency: number;
  max_retries: number;
  timeout_seconds: number;
  instructions?: string;
}

export interface InputGeneration {
  mode: 'deterministic' | 'llm';
  strategies: Strategy[];
  variations_per_input: number;
  seed: number;
  include_base_inputs: boolean;
  llm: LlmSettings;
}

export interface InputConfig {
  personas: Persona[];
  base_inputs: BaseInput[];
  input_generation: InputGeneration;
  inputs_file: string;
}

/** One entry of inputs/generated.yaml. */
export interface InputEntry {
  input: string;
  strategy?: string | null;
  persona?: string | null;
  base_index?: number | null;
  variation?: number;
  seed?: number | null;
  expected?: string;
  metadata?: Record<string, unknown>;
}

export interface GeneratedInputsFile {
  generator?: Record<string, unknown>;
  inputs: InputEntry[];
}

export interface HttpTarget {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  body: unknown;
  response: { format: 'json' | 'sse' | 'text'; output_path?: string; done_marker: string };
}

export interface ProcessTarget {
  command: string;
  args: string[];
  cwd?: string;
  env: Record<string, string>;
  mode: 'per_run' | 'persistent';
}

export interface RunnerConfig {
  target?: string;
  factory?: string;
  pass_context: boolean;
  tsconfig?: string;
  http?: HttpTarget;
  process?: ProcessTarget;
  otlp_port: number;
  quiet_period_ms: number;
}

export interface ReplayArgs {
  enabled: boolean;
  recording_file: string;
  override_param_path?: string;
  function?: string;
}

export interface SimulationConfig {
  name?: string;
  iterations: number;
  concurrency: number;
  timeout_seconds: number;
  retries: number;
  fail_on_run_errors: boolean;
  tags: string[];
  metadata: Record<string, unknown>;
  output_directory: string;
  runner: RunnerConfig;
  replay_args: ReplayArgs;
}

export interface EvaluationConfig {
  evaluators: never[];
}

/** The four files under configs/, by the name of the key users see in messages. */
export const CONFIG_FILES = {
  project: 'configs/project.yaml',
  input: 'configs/input.yaml',
  simulation: 'configs/simulation.yaml',
  evaluation: 'configs/evaluation.yaml',
} as const;
export type ConfigName = keyof typeof CONFIG_FILES;

export interface ConfigTypes {
  project: ProjectConfig;
  input: InputConfig;
  simulation: SimulationConfig;
  evaluation: EvaluationConfig;
}
