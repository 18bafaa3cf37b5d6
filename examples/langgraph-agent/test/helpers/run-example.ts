/**
 * Runs the example's main (`node --import tsx src/main.ts`, cwd the example folder, so its .env is read as in
 * `npm start`) in a child process with its own output directory, and reads back what FluxLoop wrote.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

export interface TraceRecord {
  trace_id: string;
  root_observation_id: string;
  name: string;
  status: string;
  session_id: string | null;
  tags: string[];
  input: unknown;
  output: unknown;
  token_usage: TokenUsage | null;
  observation_count: number;
}

export interface ObservationRecord {
  id: string;
  trace_id: string;
  parent_observation_id: string | null;
  type: string;
  name: string;
  start_time: string;
  end_time: string;
  level: string;
  input: unknown;
  output: unknown;
  metadata: Record<string, unknown>;
  model: string | null;
  token_usage: TokenUsage | null;
}

export interface ExampleRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputDir: string;
  traces: TraceRecord[];
  observations: ObservationRecord[];
  /** Every file FluxLoop wrote, concatenated (for leak checks). */
  allOutput: string;
}

const temps: string[] = [];

export function removeTemps(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

function readAll(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

/** The environment without any OpenAI or FluxLoop settings of the machine running the tests, plus `extra`. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OPENAI_') && !key.startsWith('FLUXLOOP_') && key !== 'THREAD_ID') env[key] = value;
  }
  return { ...env, ...extra };
}

export async function runExample(env: Record<string, string> = {}, timeoutMs = 45_000): Promise<ExampleRun> {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-langgraph-example-'));
  temps.push(outputDir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: EXAMPLE_DIR,
    env: cleanEnv({ FLUXLOOP_OUTPUT_DIR: outputDir, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearTimeout(timer));
  return {
    code,
    stdout,
    stderr,
    outputDir,
    traces: readJsonl<TraceRecord>(path.join(outputDir, 'traces.jsonl')),
    observations: readJsonl<ObservationRecord>(path.join(outputDir, 'observations.jsonl')),
    allOutput: readAll(outputDir),
  };
}

/** Children of an observation in start order (span start times have millisecond resolution: ties by end time). */
export function childrenOf(observations: ObservationRecord[], parentId: string | null): ObservationRecord[] {
  return observations
    .filter((o) => o.parent_observation_id === parentId)
    .sort((a, b) => a.start_time.localeCompare(b.start_time) || a.end_time.localeCompare(b.end_time));
}

/** Sum of the token usage of the given observations. */
export function sumUsage(observations: ObservationRecord[]): TokenUsage {
  const total = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
  for (const o of observations) {
    total.input_tokens += o.token_usage?.input_tokens ?? 0;
    total.output_tokens += o.token_usage?.output_tokens ?? 0;
    total.total_tokens += o.token_usage?.total_tokens ?? 0;
  }
  return total;
}
