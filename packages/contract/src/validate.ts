import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import ajvModule from 'ajv/dist/2020.js';
import commonSchema from '../schemas/common.schema.json' with { type: 'json' };
import observationSchema from '../schemas/observation.schema.json' with { type: 'json' };
import recordBatchSchema from '../schemas/record-batch.schema.json' with { type: 'json' };
import summarySchema from '../schemas/summary.schema.json' with { type: 'json' };
import traceSchema from '../schemas/trace.schema.json' with { type: 'json' };
import traceSummarySchema from '../schemas/trace-summary.schema.json' with { type: 'json' };
import type {
  ExperimentSummary,
  ObservationRecord,
  RecordBatchPayload,
  TraceRecord,
  TraceSummaryRecord,
} from './records.js';

/** Schema file (under `@fluxloop/contract/schemas/`) of each kind of record. */
export const SCHEMA_FILES = {
  trace: 'trace.schema.json',
  observation: 'observation.schema.json',
  traceSummary: 'trace-summary.schema.json',
  summary: 'summary.schema.json',
  recordBatch: 'record-batch.schema.json',
} as const;

export type RecordKind = keyof typeof SCHEMA_FILES;

export interface RecordTypes {
  trace: TraceRecord;
  observation: ObservationRecord;
  traceSummary: TraceSummaryRecord;
  summary: ExperimentSummary;
  recordBatch: RecordBatchPayload;
}

export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

const SCHEMAS: Record<RecordKind, { $id: string }> = {
  trace: traceSchema,
  observation: observationSchema,
  traceSummary: traceSummarySchema,
  summary: summarySchema,
  recordBatch: recordBatchSchema,
};

// ajv's CJS entry sets both module.exports and exports.default to the class; which one an importer sees depends on
// the loader (Node ESM, esbuild's CJS interop, vitest), so accept either.
type Ajv2020Class = typeof import('ajv/dist/2020.js').default;
const Ajv2020: Ajv2020Class =
  (ajvModule as unknown as { default?: Ajv2020Class }).default ?? (ajvModule as unknown as Ajv2020Class);

let ajv: InstanceType<Ajv2020Class> | undefined;
const compiled = new Map<RecordKind, ValidateFunction>();

// Compiled lazily so that importing the package costs nothing until a record is validated, and once per process.
function validatorFor(kind: RecordKind): ValidateFunction {
  let fn = compiled.get(kind);
  if (fn) return fn;
  if (!Object.hasOwn(SCHEMAS, kind))
    throw new Error(`unknown record kind ${JSON.stringify(kind)}; expected one of ${kindList()}`);
  if (!ajv) {
    // verbose: errors carry the offending value and schema, which the plain-words messages quote.
    ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addSchema(commonSchema);
    for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema);
  }
  fn = ajv.getSchema(SCHEMAS[kind].$id) as ValidateFunction;
  compiled.set(kind, fn);
  return fn;
}

function kindList(): string {
  return Object.keys(SCHEMA_FILES).join(', ');
}

/** Validates `value` against the schema of `kind`. */
export function validate(kind: RecordKind, value: unknown): ValidationResult {
  const fn = validatorFor(kind);
  if (fn(value)) return { valid: true };
  return { valid: false, errors: formatErrors(fn.errors ?? []) };
}

export const validateTraceRecord = (value: unknown): ValidationResult => validate('trace', value);
export const validateObservationRecord = (value: unknown): ValidationResult => validate('observation', value);
export const validateTraceSummaryRecord = (value: unknown): ValidationResult => validate('traceSummary', value);
export const validateExperimentSummary = (value: unknown): ValidationResult => validate('summary', value);
export const validateRecordBatch = (value: unknown): ValidationResult => validate('recordBatch', value);

/** Throws an Error listing every violation when `value` is not a valid record of `kind`. */
export function assertValid<K extends RecordKind>(kind: K, value: unknown): asserts value is RecordTypes[K] {
  const result = validate(kind, value);
  if (!result.valid) {
    throw new Error(`invalid ${kind} record (${SCHEMA_FILES[kind]}):\n  ${result.errors.join('\n  ')}`);
  }
}

export interface JsonlLineError {
  /** 1-based line number in the file. */
  line: number;
  errors: string[];
}

export interface JsonlValidationResult {
  valid: boolean;
  /** Non-blank lines read. */
  records: number;
  /** Lines that failed, in file order (at most `maxErrors` of them). */
  errors: JsonlLineError[];
  /** Number of failed lines, including those beyond `maxErrors`. */
  invalidLines: number;
}

/**
 * Validates a JSONL file line by line without holding it in memory. Blank lines are skipped (they carry no
 * record); a line that is not JSON, e.g. one torn by a crashed writer, is reported like any other invalid line.
 */
export async function validateJsonlFile(
  path: string,
  kind: RecordKind,
  options: { maxErrors?: number } = {},
): Promise<JsonlValidationResult> {
  const maxErrors = options.maxErrors ?? 1000;
  validatorFor(kind); // an unknown kind fails before the file is opened
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const result: JsonlValidationResult = { valid: true, records: 0, errors: [], invalidLines: 0 };
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    result.records++;
    let errors: string[] | undefined;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      errors = [`not valid JSON (${(err as Error).message})`];
    }
    if (!errors) {
      const checked = validate(kind, value);
      if (!checked.valid) errors = checked.errors;
    }
    if (errors) {
      result.valid = false;
      result.invalidLines++;
      if (result.errors.length < maxErrors) result.errors.push({ line: lineNo, errors });
    }
  }
  return result;
}

// Patterns are looked up by their source so that messages say in words what a value should look like.
const PATTERN_WORDS: Record<string, string> = {
  [commonSchema.$defs.TraceId.pattern]: 'a trace id of 32 lowercase hex characters',
  [commonSchema.$defs.SpanId.pattern]: 'a span id of 16 lowercase hex characters',
  [commonSchema.$defs.Timestamp.pattern]: 'an ISO 8601 UTC time ending in Z, e.g. 2026-11-22T10:00:00.123456Z',
};

function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value);
  if (text === undefined) return typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map(String).join(' or ');
}

function childPath(path: string, key: string): string {
  return `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function formatError(e: ErrorObject): string {
  const path = e.instancePath;
  const got = `(got ${describeValue(e.data)})`;
  const params = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${childPath(path, String(params.missingProperty))}: required property is missing`;
    case 'additionalProperties':
      return `${childPath(path, String(params.additionalProperty))}: unknown property (not in the schema)`;
    case 'type':
      return `${path || '/'}: must be ${typeWords(params.type)} ${got}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const kind = [parent.type].flat().includes('integer') ? 'integer' : 'number';
      return `${path}: must be ${kind} ${String(params.comparison)} ${String(params.limit)} ${got}`;
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      const words = PATTERN_WORDS[pattern] ?? `a string matching ${pattern}`;
      return `${path}: must be ${words} ${got}`;
    }
    case 'const':
      return `${path}: must be ${describeValue(params.allowedValue)} ${got}`;
    case 'enum':
      return `${path}: must be one of ${(params.allowedValues as unknown[]).map(describeValue).join(', ')} ${got}`;
    case 'minLength':
      return `${path}: must be a non-empty string ${got}`;
    default:
      return `${path || '/'}: ${e.message ?? 'is invalid'} ${got}`;
  }
}

function isWithin(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

/**
 * Turns ajv errors into one plain line each. An `anyOf` (only used for "object or null") reports every branch's
 * failure; when the value had the type of a branch, only that branch's inner errors are useful, otherwise one
 * "must be X or Y" line says it all.
 */
function formatErrors(errors: readonly ErrorObject[]): string[] {
  const out: { path: string; error: ErrorObject; text: string }[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') {
      out.push({ path: e.instancePath, error: e, text: formatError(e) });
      continue;
    }
    const branch = out.filter((o) => isWithin(o.path, e.instancePath));
    const rest = out.filter((o) => !isWithin(o.path, e.instancePath));
    const typeMisses = branch.filter((o) => o.path === e.instancePath && o.error.keyword === 'type');
    const inner = branch.filter((o) => !typeMisses.includes(o));
    out.length = 0;
    out.push(...rest);
    if (inner.length > 0) {
      out.push(...inner);
    } else {
      const types = typeMisses.flatMap((o) => [(o.error.params as { type: unknown }).type].flat());
      const text = `${e.instancePath || '/'}: must be ${typeWords(types)} (got ${describeValue(e.data)})`;
      out.push({ path: e.instancePath, error: e, text });
    }
  }
  return [...new Set(out.map((o) => o.text))];
}
