import path from 'node:path';
import {
  type ExperimentResults,
  type ExperimentSummary,
  type JsonValue,
  SCHEMA_VERSION,
  type TraceSummaryRecord,
} from '@fluxloop/contract';
import type { ActiveSdk } from '@fluxloop/sdk/instrumentation';
import { payloadValue } from '@fluxloop/sdk/projection';
import type { InputEntries } from '../project/entries.js';
import type { Project } from '../project/load.js';
import { redactConfig } from '../reduce/redact-config.js';
import { emptyTokenUsage } from '../reduce/run-stats.js';
import type { AttemptResult, PlannedRun } from './run-attempt.js';
import type { ExperimentOverrides, ExperimentSettings } from './settings.js';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

function jsonOf(value: unknown, sdk: ActiveSdk): JsonValue {
  if (typeof value === 'string') return sdk.capture.plain(value) ?? null;
  const json = sdk.capture.value(value);
  return json === undefined ? null : (JSON.parse(json) as JsonValue);
}

/**
 * A run's trace_summary line. It agrees with the run's trace record (trace id, duration, output, error, token
 * usage come from it); only a run without a trace record (none was kept) falls back on what the runner measured.
 * The input is the entry's, redacted in `redacted` capture mode; it is kept in `none` mode, being the project's
 * own input file rather than captured content.
 */
export function traceSummaryRecord(
  run: PlannedRun,
  result: AttemptResult,
  attempts: number,
  sdk: ActiveSdk,
): TraceSummaryRecord {
  const { outcome, trace } = result;
  const success = outcome.status === 'success';
  const input = run.entry.input;
  let output: JsonValue = null;
  if (outcome.status === 'success') output = trace ? payloadValue(trace.output) : jsonOf(outcome.output, sdk);
  return {
    schema_version: SCHEMA_VERSION,
    trace_id: trace?.trace_id ?? null,
    iteration: run.iteration,
    persona: run.entry.persona ?? null,
    input: typeof input === 'string' && sdk.capture.mode !== 'none' ? (sdk.capture.plain(input) ?? input) : input,
    output,
    duration_ms: trace?.duration_ms ?? round(result.durationMs),
    success,
    error:
      outcome.status === 'success' ? null : (trace?.error ?? `${outcome.failure.type}: ${outcome.failure.message}`),
    token_usage: trace?.token_usage ?? emptyTokenUsage(),
    conversation: null,
    attempts,
  };
}

/** The configuration the experiment ran with, as summary.json shows it (secrets redacted). */
export function effectiveConfig(
  project: Project,
  settings: ExperimentSettings,
  inputs: InputEntries,
  plannedRuns: number,
  overrides: ExperimentOverrides,
  /** Recorded calls replayed per input entry, when replaying. */
  replayedRecordings?: number,
): ExperimentSummary['config'] {
  const source = inputs.source.kind === 'file' ? path.relative(project.root, inputs.source.file) : 'base_inputs';
  return redactConfig({
    ...settings.effectiveSimulation,
    project: project.configs.project,
    inputs: { source, entries: inputs.entries.length },
    planned_runs: plannedRuns,
    ...(replayedRecordings === undefined ? {} : { replay: { recordings: replayedRecordings } }),
    overrides,
  });
}

export function experimentSummary(fields: {
  experimentId: string;
  name: string;
  startedAt: Date;
  finishedAt: Date;
  interrupted: boolean;
  config: ExperimentSummary['config'];
  results: ExperimentResults;
}): ExperimentSummary {
  return {
    schema_version: SCHEMA_VERSION,
    experiment_id: fields.experimentId,
    name: fields.name,
    started_at: fields.startedAt.toISOString(),
    finished_at: fields.finishedAt.toISOString(),
    status: fields.interrupted ? 'interrupted' : 'completed',
    config: fields.config,
    results: fields.results,
  };
}
