import fs from 'node:fs';
import path from 'node:path';
import { type ExperimentSummary, SCHEMA_VERSION, type TraceSummaryRecord } from '@fluxloop/contract';

/** A summary.json as the contract defines it: `runs` runs of which `failed` failed, started at `startedAt`. */
export function summary(id: string, startedAt: string, runs = 10, failed = 1): ExperimentSummary {
  return {
    schema_version: SCHEMA_VERSION,
    experiment_id: id,
    name: 'demo',
    started_at: startedAt,
    finished_at: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    status: 'completed',
    config: { iterations: 1, runner: { target: './agent.ts:run' } },
    results: {
      total_runs: runs,
      successful: runs - failed,
      failed,
      success_rate: runs ? (runs - failed) / runs : 0,
      duration: { avg_ms: 120, p50_ms: 100, p95_ms: 250, max_ms: 400 },
      token_usage: { input_tokens: 30 * runs, output_tokens: 12 * runs, total_tokens: 42 * runs },
    },
  };
}

export function traceSummaryLine(iteration: number): TraceSummaryRecord {
  return {
    schema_version: SCHEMA_VERSION,
    trace_id: iteration.toString(16).padStart(32, '0'),
    iteration,
    persona: null,
    input: 'hi',
    output: 'hello',
    duration_ms: 12,
    success: true,
    error: null,
    token_usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    conversation: null,
  };
}

/** An experiment folder under `root/experiments` with a summary.json (object or raw text) and trace summary lines. */
export function writeExperiment(
  root: string,
  id: string,
  contents: { summary?: ExperimentSummary | string; runs?: number },
): string {
  const folder = path.join(root, 'experiments', id);
  fs.mkdirSync(folder, { recursive: true });
  if (contents.summary !== undefined) {
    const text = typeof contents.summary === 'string' ? contents.summary : JSON.stringify(contents.summary, null, 2);
    fs.writeFileSync(path.join(folder, 'summary.json'), text);
  }
  if (contents.runs !== undefined) {
    const lines = Array.from({ length: contents.runs }, (_, i) => `${JSON.stringify(traceSummaryLine(i))}\n`);
    fs.writeFileSync(path.join(folder, 'trace_summary.jsonl'), lines.join(''));
  }
  return folder;
}
