import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../src/records.js';
import {
  assertValid,
  type RecordKind,
  validate,
  validateExperimentSummary,
  validateObservationRecord,
  validateRecordBatch,
  validateTraceRecord,
  validateTraceSummaryRecord,
} from '../src/validate.js';
import {
  clone,
  experimentSummary,
  observationRecord,
  recordBatch,
  traceRecord,
  traceSummaryRecord,
} from './fixtures.js';

const fixtures: Record<RecordKind, unknown> = {
  trace: traceRecord,
  observation: observationRecord,
  traceSummary: traceSummaryRecord,
  summary: experimentSummary,
  recordBatch,
};

describe('valid records', () => {
  it('accepts a full record of every kind through its named validator', () => {
    expect(validateTraceRecord(traceRecord)).toEqual({ valid: true });
    expect(validateObservationRecord(observationRecord)).toEqual({ valid: true });
    expect(validateTraceSummaryRecord(traceSummaryRecord)).toEqual({ valid: true });
    expect(validateExperimentSummary(experimentSummary)).toEqual({ valid: true });
    expect(validateRecordBatch(recordBatch)).toEqual({ valid: true });
  });

  it('accepts the minimal forms: nulls, empty collections, no optional token details', () => {
    const trace: TraceRecord = {
      ...traceRecord,
      input: null,
      output: null,
      error: null,
      metadata: {},
      tags: [],
      session_id: null,
      user_id: null,
      experiment_id: null,
      iteration: null,
      persona: null,
      service_name: null,
      token_usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      observation_count: 0,
      duration_ms: 0,
    };
    expect(validateTraceRecord(trace)).toEqual({ valid: true });
    const root = { ...observationRecord, parent_observation_id: null, model: null, token_usage: null, type: 'event' };
    expect(validateObservationRecord(root)).toEqual({ valid: true });
    expect(validateTraceSummaryRecord({ ...traceSummaryRecord, trace_id: null, conversation: null })).toEqual({
      valid: true,
    });
    expect(validateRecordBatch({ batch_id: 'b', traces: [], observations: [] })).toEqual({ valid: true });
  });

  it('accepts times with 0 to 9 fractional digits', () => {
    for (const time of ['2026-11-22T10:00:00Z', '2026-11-22T10:00:00.1Z', '2026-11-22T23:59:59.123456789Z']) {
      expect(validateTraceRecord({ ...traceRecord, start_time: time })).toEqual({ valid: true });
    }
  });
});

const DELETE = Symbol('delete');

// [kind, dotted path to change, new value (DELETE removes it), every error it must produce as substrings]. Listing
// every expected error means a case that also trips something else fails.
type Case = [RecordKind, string, unknown, ...string[]];
const invalidCases: Case[] = [
  ['trace', 'trace_id', DELETE, '/trace_id: required property is missing'],
  ['trace', 'error', undefined, '/error: required property is missing'],
  ['trace', 'name', 5, '/name: must be string (got 5)'],
  ['trace', 'trace_id', 'A'.repeat(32), '/trace_id: must be a trace id of 32 lowercase hex characters'],
  ['trace', 'root_observation_id', 'abc', '/root_observation_id: must be a span id of 16 lowercase hex'],
  ['trace', 'start_time', '2026-11-22T10:00:00.123', '/start_time: must be an ISO 8601 UTC time ending in Z'],
  ['trace', 'end_time', '2026-11-22T10:00:00+00:00', '/end_time: must be an ISO 8601 UTC time'],
  ['trace', 'end_time', '2026-11-22T10:00:00.1234567890Z', '/end_time: must be an ISO 8601 UTC time'],
  ['trace', 'end_time', '2026-13-22T10:00:00Z', '/end_time: must be an ISO 8601 UTC time'],
  ['trace', 'end_time', 1763805600000, '/end_time: must be string (got 1763805600000)'],
  ['trace', 'traceId', 'x', '/traceId: unknown property (not in the schema)'],
  ['trace', 'token_usage.input_tokens', -1, '/token_usage/input_tokens: must be integer >= 0 (got -1)'],
  ['trace', 'token_usage.total_tokens', 1.5, '/token_usage/total_tokens: must be integer (got 1.5)'],
  ['trace', 'token_usage.cached_tokens', 1, '/token_usage/cached_tokens: unknown property'],
  ['trace', 'status', 'ok', '/status: must be one of "success", "error" (got "ok")'],
  ['trace', 'schema_version', '1.1', '/schema_version: must be "1.0" (got "1.1")'],
  ['trace', 'duration_ms', -5, '/duration_ms: must be number >= 0 (got -5)'],
  ['trace', 'tags', ['a', 1], '/tags/1: must be string (got 1)'],
  ['trace', 'metadata', [], '/metadata: must be object (got [])'],
  ['trace', 'iteration', -1, '/iteration: must be integer >= 0 (got -1)'],
  ['trace', 'iteration', '1', '/iteration: must be integer or null (got "1")'],
  ['observation', 'type', 'llm', '/type: must be one of "agent", "chain", "generation"'],
  ['observation', 'level', 'warn', '/level: must be one of "debug", "info", "warning", "error" (got "warn")'],
  ['observation', 'parent_observation_id', 'XYZ', '/parent_observation_id: must be a span id'],
  ['observation', 'token_usage', 5, '/token_usage: must be object or null (got 5)'],
  [
    'observation',
    'token_usage',
    { input_tokens: 1 },
    '/token_usage/output_tokens: required',
    '/token_usage/total_tokens: required',
  ],
  ['observation', 'token_usage.output_tokens', -2, '/token_usage/output_tokens: must be integer >= 0 (got -2)'],
  ['observation', 'model', 3, '/model: must be string or null (got 3)'],
  ['observation', 'input', DELETE, '/input: required property is missing'],
  ['traceSummary', 'trace_id', '', '/trace_id: must be a trace id'],
  ['traceSummary', 'iteration', null, '/iteration: must be integer (got null)'],
  ['traceSummary', 'success', 'yes', '/success: must be boolean (got "yes")'],
  [
    'traceSummary',
    'conversation.1.role',
    'bot',
    '/conversation/1/role: must be one of "system", "user", "assistant", "tool"',
  ],
  ['traceSummary', 'conversation.0.name', 'x', '/conversation/0/name: unknown property'],
  ['traceSummary', 'conversation', {}, '/conversation: must be array or null (got {})'],
  ['summary', 'status', 'done', '/status: must be one of "completed", "interrupted" (got "done")'],
  ['summary', 'results.success_rate', 1.5, '/results/success_rate: must be number <= 1 (got 1.5)'],
  ['summary', 'results.duration.p95_ms', DELETE, '/results/duration/p95_ms: required property is missing'],
  ['summary', 'config', null, '/config: must be object (got null)'],
  ['summary', 'experiment_id', '', '/experiment_id: must be a non-empty string'],
  ['summary', 'results.mean_ms', 1, '/results/mean_ms: unknown property'],
  ['recordBatch', 'traces.0.trace_id', 'x', '/traces/0/trace_id: must be a trace id'],
  ['recordBatch', 'observations.1.foo', 1, '/observations/1/foo: unknown property'],
  ['recordBatch', 'batch_id', DELETE, '/batch_id: required property is missing'],
  ['recordBatch', 'traces', {}, '/traces: must be array (got {})'],
  ['recordBatch', 'records', [], '/records: unknown property'],
];

function changed(kind: RecordKind, path: string, value: unknown): unknown {
  const root = clone(fixtures[kind]) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce((node, key) => node[key] as Record<string, unknown>, root);
  if (value === DELETE) delete parent[last];
  else parent[last] = value;
  return root;
}

describe('invalid records', () => {
  it.each(invalidCases)('%s: %s = %o', (kind, path, value, ...expected) => {
    const result = validate(kind, changed(kind, path, value));
    expect(result.valid).toBe(false);
    const got = result.valid ? [] : result.errors;
    expect(got).toHaveLength(expected.length);
    for (const text of expected)
      expect(
        got.some((e) => e.includes(text)),
        `${text} in ${got}`,
      ).toBe(true);
  });

  it('reports a value that is not an object at the root path', () => {
    expect(validateTraceRecord(null)).toEqual({ valid: false, errors: ['/: must be object (got null)'] });
    expect(validateRecordBatch('[]')).toEqual({ valid: false, errors: ['/: must be object (got "[]")'] });
  });

  it('lists every problem of a record at once', () => {
    const result = validateTraceRecord({ ...traceRecord, trace_id: 'x', status: 'ok', extra: true });
    expect(result.valid === false && result.errors.length).toBe(3);
  });

  it('shortens long offending values', () => {
    const result = validateTraceRecord({ ...traceRecord, status: 'x'.repeat(500) });
    expect(result.valid === false && result.errors[0]!.length).toBeLessThan(150);
  });
});

describe('assertValid', () => {
  it('returns quietly for a valid record and narrows its type', () => {
    const value: unknown = clone(traceRecord);
    assertValid('trace', value);
    expect(value.trace_id).toBe(traceRecord.trace_id);
  });

  it('throws an Error listing every problem', () => {
    const bad = { ...observationRecord, id: 'nope', level: 'loud' };
    expect(() => assertValid('observation', bad)).toThrowError(/invalid observation record/);
    try {
      assertValid('observation', bad);
    } catch (err) {
      expect((err as Error).message).toContain('/id: must be a span id');
      expect((err as Error).message).toContain('/level: must be one of');
    }
  });

  it('rejects an unknown kind', () => {
    expect(() => validate('span' as RecordKind, {})).toThrowError(/unknown record kind "span"/);
  });
});
