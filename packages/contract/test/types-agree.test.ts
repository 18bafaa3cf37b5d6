import { describe, expect, it } from 'vitest';
import commonSchema from '../schemas/common.schema.json' with { type: 'json' };
import observationSchema from '../schemas/observation.schema.json' with { type: 'json' };
import recordBatchSchema from '../schemas/record-batch.schema.json' with { type: 'json' };
import summarySchema from '../schemas/summary.schema.json' with { type: 'json' };
import traceSchema from '../schemas/trace.schema.json' with { type: 'json' };
import traceSummarySchema from '../schemas/trace-summary.schema.json' with { type: 'json' };
import {
  ARTIFACT_FILES,
  type ConversationTurn,
  type DurationStats,
  type ExperimentResults,
  type ExperimentSummary,
  OBSERVATION_LEVELS,
  OBSERVATION_TYPES,
  type ObservationRecord,
  type RecordBatchPayload,
  SCHEMA_VERSION,
  type TokenUsage,
  type TraceRecord,
  type TraceStatus,
  type TraceSummaryRecord,
} from '../src/index.js';
import { SCHEMA_FILES } from '../src/validate.js';

// The shape of every field of a TS type, computed by the compiler: a literal below that does not match records.ts
// (a field renamed, added, removed, made optional or nullable) fails the type check; the tests then compare the
// same literals with the schemas, so types and schemas cannot drift apart silently.
type Shape<T> = {
  [K in keyof T]-?: `${{} extends Pick<T, K> ? 'optional' : 'required'}${null extends T[K] ? ' nullable' : ''}`;
};

const tokenUsageShape: Shape<TokenUsage> = {
  input_tokens: 'required',
  output_tokens: 'required',
  total_tokens: 'required',
  cache_read_input_tokens: 'optional',
  cache_creation_input_tokens: 'optional',
  reasoning_tokens: 'optional',
};

const traceShape: Shape<TraceRecord> = {
  schema_version: 'required',
  trace_id: 'required',
  root_observation_id: 'required',
  name: 'required',
  start_time: 'required',
  end_time: 'required',
  duration_ms: 'required',
  status: 'required',
  input: 'required nullable',
  output: 'required nullable',
  error: 'required nullable',
  metadata: 'required',
  tags: 'required',
  session_id: 'required nullable',
  user_id: 'required nullable',
  experiment_id: 'required nullable',
  iteration: 'required nullable',
  persona: 'required nullable',
  service_name: 'required nullable',
  token_usage: 'required',
  observation_count: 'required',
};

const observationShape: Shape<ObservationRecord> = {
  schema_version: 'required',
  id: 'required',
  trace_id: 'required',
  parent_observation_id: 'required nullable',
  type: 'required',
  name: 'required',
  start_time: 'required',
  end_time: 'required',
  duration_ms: 'required',
  level: 'required',
  input: 'required nullable',
  output: 'required nullable',
  status_message: 'required nullable',
  metadata: 'required',
  model: 'required nullable',
  token_usage: 'required nullable',
};

const traceSummaryShape: Shape<TraceSummaryRecord> = {
  schema_version: 'required',
  trace_id: 'required nullable',
  iteration: 'required',
  persona: 'required nullable',
  input: 'required nullable',
  output: 'required nullable',
  duration_ms: 'required',
  success: 'required',
  error: 'required nullable',
  token_usage: 'required',
  conversation: 'required nullable',
  attempts: 'optional',
};

const turnShape: Shape<ConversationTurn> = { role: 'required', content: 'required nullable' };

const summaryShape: Shape<ExperimentSummary> = {
  schema_version: 'required',
  experiment_id: 'required',
  name: 'required',
  started_at: 'required',
  finished_at: 'required',
  status: 'required',
  config: 'required',
  results: 'required',
};

const resultsShape: Shape<ExperimentResults> = {
  total_runs: 'required',
  successful: 'required',
  failed: 'required',
  success_rate: 'required',
  duration: 'required',
  token_usage: 'required',
};

const durationShape: Shape<DurationStats> = {
  avg_ms: 'required',
  p50_ms: 'required',
  p95_ms: 'required',
  max_ms: 'required',
};

const batchShape: Shape<RecordBatchPayload> = {
  batch_id: 'required',
  service_name: 'optional',
  traces: 'required',
  observations: 'required',
};

// Exhaustive maps: a value added to one of these unions must be added here, and then to the schema.
const traceStatuses: Record<TraceStatus, true> = { success: true, error: true };
const turnRoles: Record<ConversationTurn['role'], true> = { system: true, user: true, assistant: true, tool: true };
const summaryStatuses: Record<ExperimentSummary['status'], true> = { completed: true, interrupted: true };

// biome-ignore lint/suspicious/noExplicitAny: schemas are walked generically, key by key
type Node = Record<string, any>;
const byId = new Map<string, Node>(
  [commonSchema, traceSchema, observationSchema, traceSummarySchema, summarySchema, recordBatchSchema].map((s) => [
    s.$id,
    s as Node,
  ]),
);

/** Follows `$ref`s (absolute, or relative to `base`) to the schema node they name. */
function resolve(node: Node, base: Node): Node {
  if (!node.$ref) return node;
  const [uri, pointer = ''] = String(node.$ref).split('#');
  const doc = uri ? byId.get(uri)! : base;
  expect(doc, `unresolved $ref ${node.$ref}`).toBeDefined();
  const target = pointer
    .split('/')
    .filter(Boolean)
    .reduce<Node>((n, key) => n[key], doc);
  return resolve(target, doc);
}

function acceptsNull(node: Node, base: Node): boolean {
  const target = resolve(node, base);
  if (target.anyOf) return target.anyOf.some((branch: Node) => acceptsNull(branch, base));
  if (target.type === undefined && target.const === undefined && target.enum === undefined) return true;
  return [target.type].flat().includes('null');
}

function schemaShape(schema: Node, base: Node): Record<string, string> {
  const required = new Set<string>(schema.required ?? []);
  return Object.fromEntries(
    Object.entries(schema.properties as Record<string, Node>).map(([key, prop]) => [
      key,
      `${required.has(key) ? 'required' : 'optional'}${acceptsNull(prop, base) ? ' nullable' : ''}`,
    ]),
  );
}

const enumOf = (node: Node): string[] => [...node.enum].sort();

describe('TS types and JSON Schemas agree', () => {
  it.each([
    ['TraceRecord', traceSchema, traceSchema, traceShape],
    ['ObservationRecord', observationSchema, observationSchema, observationShape],
    ['TraceSummaryRecord', traceSummarySchema, traceSummarySchema, traceSummaryShape],
    ['ConversationTurn', traceSummarySchema.$defs.ConversationTurn, traceSummarySchema, turnShape],
    ['ExperimentSummary', summarySchema, summarySchema, summaryShape],
    ['ExperimentResults', summarySchema.properties.results, summarySchema, resultsShape],
    ['DurationStats', summarySchema.properties.results.properties.duration, summarySchema, durationShape],
    ['TokenUsage', commonSchema.$defs.TokenUsage, commonSchema, tokenUsageShape],
    ['RecordBatchPayload', recordBatchSchema, recordBatchSchema, batchShape],
  ] as [string, Node, Node, Record<string, string>][])(
    '%s: same fields, required and nullable',
    (_, schema, base, shape) => {
      expect(schemaShape(schema, base)).toEqual(shape);
      expect(schema.additionalProperties).toBe(false);
    },
  );

  it('every property documents itself', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      for (const [key, prop] of Object.entries((node as Node).properties ?? {})) {
        if (typeof (prop as Node).description !== 'string') missing.push(`${path}/${key}`);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`);
    };
    for (const [id, schema] of byId) walk(schema, id);
    expect(missing).toEqual([]);
  });

  it('enums match the TS constants and unions', () => {
    expect(enumOf(observationSchema.properties.type)).toEqual([...OBSERVATION_TYPES].sort());
    expect(enumOf(observationSchema.properties.level)).toEqual([...OBSERVATION_LEVELS].sort());
    expect(enumOf(traceSchema.properties.status)).toEqual(Object.keys(traceStatuses).sort());
    expect(enumOf(traceSummarySchema.$defs.ConversationTurn.properties.role)).toEqual(Object.keys(turnRoles).sort());
    expect(enumOf(summarySchema.properties.status)).toEqual(Object.keys(summaryStatuses).sort());
    expect(commonSchema.$defs.SchemaVersion.const).toBe(SCHEMA_VERSION);
  });

  it('SCHEMA_FILES names the shipped files, whose $id ends with their file name', () => {
    const ids = [...byId.keys()];
    for (const file of Object.values(SCHEMA_FILES)) {
      expect(ids).toContain(`https://fluxloop.dev/schemas/v1/${file}`);
    }
    expect(Object.values(ARTIFACT_FILES).sort()).toEqual(
      ['observations.jsonl', 'summary.json', 'trace_summary.jsonl', 'traces.jsonl'].sort(),
    );
  });
});
