import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentSummary, ObservationRecord, TraceRecord, TraceSummaryRecord } from '@fluxloop/contract';
import { ARTIFACT_FILES } from '@fluxloop/contract';
import { validateExperimentSummary, validateJsonlFile } from '@fluxloop/contract/validate';

export interface Artifacts {
  summary: ExperimentSummary;
  traceSummaries: TraceSummaryRecord[];
  traces: TraceRecord[];
  observations: ObservationRecord[];
}

const readLines = <T>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);

/** Reads an experiment folder, failing with every schema violation when a file does not validate. */
export async function readArtifacts(dir: string): Promise<Artifacts> {
  const problems: string[] = [];
  for (const [file, kind] of [
    [ARTIFACT_FILES.traceSummary, 'traceSummary'],
    [ARTIFACT_FILES.traces, 'trace'],
    [ARTIFACT_FILES.observations, 'observation'],
  ] as const) {
    const result = await validateJsonlFile(path.join(dir, file), kind);
    for (const e of result.errors) problems.push(`${file}:${e.line}: ${e.errors.join('; ')}`);
  }
  const summary = JSON.parse(fs.readFileSync(path.join(dir, ARTIFACT_FILES.summary), 'utf8')) as ExperimentSummary;
  const checked = validateExperimentSummary(summary);
  if (!checked.valid) problems.push(...checked.errors.map((e) => `summary.json: ${e}`));
  if (problems.length) throw new Error(`invalid artifacts in ${dir}:\n${problems.join('\n')}`);
  return {
    summary,
    traceSummaries: readLines(path.join(dir, ARTIFACT_FILES.traceSummary)),
    traces: readLines(path.join(dir, ARTIFACT_FILES.traces)),
    observations: readLines(path.join(dir, ARTIFACT_FILES.observations)),
  };
}

/**
 * Everything that must agree between the four files: one trace per run that has a trace id, observations per trace
 * = its observation_count, one root per trace (the record's root), every parent inside the same trace, results that
 * add up. Returns the problems found (empty when consistent).
 */
export function consistencyProblems(a: Artifacts): string[] {
  const problems: string[] = [];
  const expect = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  const results = a.summary.results;
  expect(
    a.traceSummaries.length === results.total_runs,
    `trace_summary lines ${a.traceSummaries.length} != total_runs`,
  );
  expect(a.traceSummaries.filter((s) => s.success).length === results.successful, 'successful count differs');
  expect(a.traceSummaries.filter((s) => !s.success).length === results.failed, 'failed count differs');
  const tokens = a.traceSummaries.reduce((sum, s) => sum + s.token_usage.total_tokens, 0);
  expect(tokens === results.token_usage.total_tokens, `token totals ${tokens} != ${results.token_usage.total_tokens}`);
  const traceIds = new Set(a.traces.map((t) => t.trace_id));
  expect(traceIds.size === a.traces.length, 'a trace id appears on two trace lines');
  const runTraceIds = a.traceSummaries.flatMap((s) => (s.trace_id ? [s.trace_id] : []));
  expect(runTraceIds.length === a.traces.length, `runs with a trace ${runTraceIds.length} != trace lines`);
  for (const id of runTraceIds) expect(traceIds.has(id), `run trace ${id} has no trace line`);
  const byTrace = new Map<string, ObservationRecord[]>();
  for (const o of a.observations) {
    expect(traceIds.has(o.trace_id), `observation ${o.id} belongs to no trace line`);
    byTrace.set(o.trace_id, [...(byTrace.get(o.trace_id) ?? []), o]);
  }
  for (const t of a.traces) {
    const observations = byTrace.get(t.trace_id) ?? [];
    expect(observations.length === t.observation_count, `trace ${t.trace_id}: observation_count differs`);
    const ids = new Set(observations.map((o) => o.id));
    const roots = observations.filter((o) => o.parent_observation_id === null);
    expect(roots.length === 1 && roots[0]!.id === t.root_observation_id, `trace ${t.trace_id}: not one root`);
    for (const o of observations) {
      const parent = o.parent_observation_id;
      expect(parent === null || ids.has(parent), `trace ${t.trace_id}: ${o.name} has a parent outside the trace`);
    }
  }
  return problems;
}
