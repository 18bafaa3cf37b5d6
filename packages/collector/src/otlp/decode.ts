import type { Attributes, AttributeValue, HrTime, SpanEventSnapshot, SpanSnapshot } from '@fluxloop/sdk/projection';
import { ExportTraceServiceRequest, SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE, SPAN_FLAGS_CONTEXT_IS_REMOTE } from './schema.js';

/** A request that is not OTLP at all (broken protobuf, JSON of the wrong shape): answered with 400. */
export class OtlpDecodeError extends Error {}

export interface DecodeResult {
  spans: SpanSnapshot[];
  /** Spans left out because they were invalid (bad ids, times): reported as OTLP partial success. */
  rejected: number;
  /** The first few reasons, for the partial-success message. */
  errors: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One walker for both encodings. protobufjs (keepCase) yields snake_case fields, Long times and byte ids; OTLP/JSON
 * uses lowerCamelCase, string or number nanosecond times and hex ids. `field` reads either spelling.
 */
function field(o: Obj, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

/**
 * Own properties only, for AnyValue's oneof: protobufjs keeps defaults (every oneof member's among them) on the
 * message prototype, so a plain read would see string_value = '' on an AnyValue that holds an int.
 */
function own(o: Obj, camel: string, snake: string): unknown {
  if (Object.hasOwn(o, camel)) return o[camel];
  return Object.hasOwn(o, snake) ? o[snake] : undefined;
}

function list(o: Obj, camel: string, snake: string, path: string): Obj[] {
  const v = field(o, camel, snake);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${path}.${camel}: expected an array`);
  for (let i = 0; i < v.length; i++) {
    if (!isObj(v[i])) throw new OtlpDecodeError(`${path}.${camel}[${i}]: expected an object`);
  }
  return v as Obj[];
}

export function decodeProtobuf(body: Uint8Array): DecodeResult {
  let message: Obj;
  try {
    message = ExportTraceServiceRequest.decode(body) as unknown as Obj;
  } catch (err) {
    throw new OtlpDecodeError(`invalid OTLP protobuf: ${(err as Error).message}`);
  }
  return walk(message);
}

export function decodeJson(text: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`invalid JSON: ${(err as Error).message}`);
  }
  if (!isObj(value)) throw new OtlpDecodeError('expected a JSON object (ExportTraceServiceRequest)');
  return walk(value);
}

function walk(request: Obj): DecodeResult {
  const out: DecodeResult = { spans: [], rejected: 0, errors: [] };
  const resourceSpans = list(request, 'resourceSpans', 'resource_spans', 'request');
  resourceSpans.forEach((rs, r) => {
    const path = `resourceSpans[${r}]`;
    const resource = field(rs, 'resource', 'resource');
    const resourceAttributes = isObj(resource) ? attributes(resource, `${path}.resource`) : {};
    list(rs, 'scopeSpans', 'scope_spans', path).forEach((ss, s) => {
      const scope = field(ss, 'scope', 'scope');
      const scopeName = isObj(scope) && typeof field(scope, 'name', 'name') === 'string' ? (scope.name as string) : '';
      list(ss, 'spans', 'spans', `${path}.scopeSpans[${s}]`).forEach((span, i) => {
        try {
          out.spans.push(snapshot(span, resourceAttributes, scopeName));
        } catch (err) {
          out.rejected++;
          if (out.errors.length < 5) out.errors.push(`${path}.scopeSpans[${s}].spans[${i}]: ${(err as Error).message}`);
        }
      });
    });
  });
  return out;
}

function snapshot(span: Obj, resource: Attributes, scopeName: string): SpanSnapshot {
  const traceId = id(field(span, 'traceId', 'trace_id'), 16, 'traceId');
  const spanId = id(field(span, 'spanId', 'span_id'), 8, 'spanId');
  const parentRaw = field(span, 'parentSpanId', 'parent_span_id');
  const parentSpanId = isEmptyId(parentRaw) ? undefined : id(parentRaw, 8, 'parentSpanId');
  const name = field(span, 'name', 'name');
  if (typeof name !== 'string') throw new Error('name: expected a string');
  const flags = Number(field(span, 'flags', 'flags') ?? 0);
  const status = field(span, 'status', 'status');
  const statusCode = isObj(status) ? Number(field(status, 'code', 'code') ?? 0) : 0;
  const message = isObj(status) ? field(status, 'message', 'message') : undefined;
  const statusMessage = typeof message === 'string' ? message : undefined;
  const kind = Number(field(span, 'kind', 'kind') ?? 0);
  if (!Number.isInteger(kind) || kind < 0 || kind > 5) throw new Error(`kind: ${kind} is not a SpanKind`);
  if (!Number.isInteger(statusCode) || statusCode < 0 || statusCode > 2) throw new Error('status.code: not 0, 1 or 2');
  const events = list(span, 'events', 'events', 'span').map<SpanEventSnapshot>((e) => ({
    name: String(field(e, 'name', 'name') ?? ''),
    time: hrTime(field(e, 'timeUnixNano', 'time_unix_nano'), 'events.timeUnixNano'),
    attributes: attributes(e, 'event'),
  }));
  return {
    name,
    // OTLP's SpanKind counts UNSPECIFIED as 0; the API's starts at INTERNAL = 0.
    kind: kind === 0 ? 0 : kind - 1,
    traceId,
    spanId,
    ...(parentSpanId
      ? {
          parentSpanId,
          parentIsRemote:
            (flags & SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE) !== 0 && (flags & SPAN_FLAGS_CONTEXT_IS_REMOTE) !== 0,
        }
      : {}),
    startTime: hrTime(field(span, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
    endTime: hrTime(field(span, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano'),
    statusCode,
    ...(statusMessage ? { statusMessage } : {}),
    attributes: attributes(span, 'span'),
    ...(events.length > 0 ? { events } : {}),
    resource,
    scopeName,
  };
}

const HEX_ID = { 16: /^[0-9a-f]{32}$/, 8: /^[0-9a-f]{16}$/ } as const;
const ZERO_ID = { 16: '0'.repeat(32), 8: '0'.repeat(16) } as const;

/** protobufjs gives bytes as Uint8Array, or as a plain array where it found no Buffer (ESM): both count. */
function isBytes(v: unknown): v is Uint8Array | number[] {
  return v instanceof Uint8Array || (Array.isArray(v) && v.every((b) => typeof b === 'number'));
}

function isEmptyId(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (isBytes(v) && v.length === 0);
}

/** Ids: bytes in protobuf, hex strings in OTLP/JSON. All-zero ids are invalid in OTel. */
function id(v: unknown, bytes: 16 | 8, name: string): string {
  let hex: string;
  if (typeof v === 'string') {
    hex = HEX_ID[bytes].test(v) ? v : v.toLowerCase();
    if (!HEX_ID[bytes].test(hex)) throw new Error(`${name}: expected ${bytes} bytes as ${bytes * 2} hex digits`);
  } else if (v instanceof Uint8Array || isBytes(v)) {
    if (v.length !== bytes) throw new Error(`${name}: expected ${bytes} bytes, got ${v.length}`);
    hex =
      v instanceof Uint8Array
        ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')
        : Buffer.from(v).toString('hex');
  } else throw new Error(`${name}: expected ${bytes} bytes (hex in JSON)`);
  if (hex === ZERO_ID[bytes]) throw new Error(`${name}: all zero`);
  return hex;
}

/**
 * Nanoseconds since the epoch exceed 2^53, so they are split exactly: a decimal string (OTLP/JSON) by its last
 * nine digits, a protobuf Long with BigInt.
 */
function hrTime(v: unknown, name: string): HrTime {
  if (typeof v === 'string' && DIGITS.test(v)) {
    return v.length > 9 ? [Number(v.slice(0, -9)), Number(v.slice(-9))] : [0, Number(v)];
  }
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return [Math.floor(v / 1e9), v % 1e9];
  if (isObj(v) && typeof v.low === 'number' && typeof v.high === 'number') {
    const nanos = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
  }
  throw new Error(`${name}: expected nanoseconds since the epoch`);
}

const DIGITS = /^\d{1,20}$/;

function attributes(holder: Obj, path: string): Attributes {
  const out: Attributes = {};
  for (const kv of list(holder, 'attributes', 'attributes', path)) {
    const key = field(kv, 'key', 'key');
    if (typeof key !== 'string') continue;
    const value = anyValue(field(kv, 'value', 'value'));
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** AnyValue → an OTel attribute value: primitives as they are, homogeneous arrays as arrays, the rest as JSON. */
function anyValue(v: unknown): AttributeValue | undefined {
  const plain = anyPlain(v);
  if (plain === undefined || plain === null) return undefined;
  if (typeof plain === 'string' || typeof plain === 'number' || typeof plain === 'boolean') return plain;
  if (Array.isArray(plain)) {
    // OTel attribute arrays are homogeneous but may hold nulls (an empty AnyValue in the array).
    const items = plain.map((x) => (x === undefined ? null : x));
    const kinds = new Set(items.filter((x) => x !== null).map((x) => typeof x));
    if (kinds.size <= 1 && ['string', 'number', 'boolean'].includes([...kinds][0] ?? 'string')) {
      return items as AttributeValue;
    }
    return JSON.stringify(items);
  }
  return JSON.stringify(plain);
}

function anyPlain(v: unknown): unknown {
  if (!isObj(v)) return undefined;
  const s = own(v, 'stringValue', 'string_value');
  if (s !== undefined && s !== null) return String(s);
  const b = own(v, 'boolValue', 'bool_value');
  if (b !== undefined && b !== null) return Boolean(b);
  const i = own(v, 'intValue', 'int_value');
  if (i !== undefined && i !== null) return intValue(i);
  const d = own(v, 'doubleValue', 'double_value');
  if (d !== undefined && d !== null) return Number(d);
  const arr = own(v, 'arrayValue', 'array_value');
  if (isObj(arr)) {
    const values = field(arr, 'values', 'values');
    return (Array.isArray(values) ? values : []).map(anyPlain);
  }
  const kv = own(v, 'kvlistValue', 'kvlist_value');
  if (isObj(kv)) {
    const o: Obj = {};
    for (const e of Array.isArray(kv.values) ? kv.values : [])
      if (isObj(e) && typeof e.key === 'string') o[e.key] = anyPlain(e.value);
    return o;
  }
  const bytes = own(v, 'bytesValue', 'bytes_value');
  if (isBytes(bytes)) return Buffer.from(bytes).toString('base64');
  if (typeof bytes === 'string') return bytes;
  return undefined;
}

/** int64: a number when exact, else its decimal string (no silent rounding). */
function intValue(v: unknown): number | string {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (isObj(v) && typeof v.low === 'number' && typeof v.high === 'number') {
    const big = (BigInt(v.high) << 32n) | BigInt(v.low >>> 0);
    const n = Number(big);
    return Number.isSafeInteger(n) ? n : big.toString();
  }
  return String(v);
}
