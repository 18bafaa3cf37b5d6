/**
 * Recorded values: arguments encoded so replay can rebuild them. Unlike span payloads (bounded, display-only),
 * a recording is lossless wherever JSON plus a type marker can be: strings are never cut, Dates, binary data,
 * Maps, Sets, BigInts and shared or circular references come back as they were. Secrets are still redacted:
 * a recording is a file users commit and share.
 */
import { redactionMarker } from '../capture/markers.js';
import type { Redactor } from '../capture/redaction.js';
import { MARKER_KEY, type Marker, type MarkerType, pointerSegment } from './markers.js';

export interface EncodeOptions {
  redactor?: Redactor;
  /** Containers nested deeper than this become `truncated` markers. Default 32. */
  maxDepth?: number;
}

interface State {
  readonly redactor: Redactor | undefined;
  readonly maxDepth: number;
  /** Objects already written, with their JSON Pointer: a second sighting is a `ref`. */
  readonly seen: Map<object, string>;
}

const marker = (type: MarkerType, fields: Record<string, unknown> = {}): Marker =>
  ({ [MARKER_KEY]: type, ...fields }) as Marker;

/** A fresh encoder state; one per recorded call, so references across its arguments are kept. */
export function encoderState(options: EncodeOptions = {}): State {
  return { redactor: options.redactor, maxDepth: options.maxDepth ?? 32, seen: new Map() };
}

/** Encodes `value` found at `pointer` (a JSON Pointer such as `/args/0`). Never throws for odd values. */
export function encodeValue(value: unknown, pointer: string, state: State, depth = 0, mask?: string): unknown {
  switch (typeof value) {
    case 'string':
      if (mask !== undefined) return redactionMarker(mask);
      return state.redactor ? state.redactor.redactString(value) : value;
    case 'number':
      if (mask !== undefined) return redactionMarker(mask);
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return marker('Number', { value: Object.is(value, -0) ? '-0' : String(value) });
    case 'boolean':
      return value;
    case 'undefined':
      return marker('undefined');
    case 'bigint':
      return mask !== undefined ? redactionMarker(mask) : marker('BigInt', { value: value.toString() });
    case 'symbol':
      return marker('Symbol', {
        description: value.description === undefined ? null : redact(value.description, state),
      });
    case 'function':
      return marker('function', { name: value.name || 'anonymous' });
    default:
      if (value === null) return null;
      return encodeObject(value as object, pointer, state, depth, mask);
  }
}

function encodeObject(value: object, pointer: string, state: State, depth: number, mask?: string): unknown {
  try {
    return encodeObjectUnsafe(value, pointer, state, depth, mask);
  } catch (err) {
    // A revoked Proxy or a throwing trap: this value is lost, visibly; the rest of the call is still recorded.
    return marker('unreadable', { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
}

function encodeObjectUnsafe(value: object, pointer: string, state: State, depth: number, mask?: string): unknown {
  const earlier = state.seen.get(value);
  if (earlier !== undefined) return marker('ref', { ref: earlier });
  if (depth >= state.maxDepth) return marker('truncated', { type: className(value) });
  state.seen.set(value, pointer);
  const child = (v: unknown, key: string | number, m = mask) =>
    encodeValue(v, `${pointer}/${pointerSegment(key)}`, state, depth + 1, m);

  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(property(value, i, child));
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const fields = encodeFields(value, Object.keys(value), child, state);
    return Object.hasOwn(value, MARKER_KEY) ? marker('object', { value: fields }) : fields;
  }
  const builtin = encodeBuiltin(value, child, state);
  if (builtin !== undefined) {
    // Under a sensitive key (password: Buffer.from(...)) a built-in leaf is a secret like a string would be.
    const leaf = builtin[MARKER_KEY] !== 'Map' && builtin[MARKER_KEY] !== 'Set';
    return leaf && mask !== undefined ? redactionMarker(mask) : builtin;
  }
  return encodeInstance(value, child, state);
}

type Child = (value: unknown, key: string | number, mask?: string) => unknown;

function encodeFields(value: object, keys: string[], child: Child, state: State): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const rule = state.redactor?.sensitiveKeyRule(key);
    const encoded = property(value, key, child, rule);
    // defineProperty: a key named __proto__ is data here, not the prototype.
    Object.defineProperty(out, key, { value: encoded, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function encodeBuiltin(value: object, child: Child, state: State): Marker | undefined {
  if (value instanceof Date) {
    return marker('Date', { value: Number.isNaN(value.getTime()) ? null : value.toISOString() });
  }
  if (Buffer.isBuffer(value)) return marker('bytes', { type: 'Buffer', base64: value.toString('base64') });
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return marker('bytes', { type: value.constructor.name, base64: bytes.toString('base64') });
  }
  if (value instanceof ArrayBuffer) {
    return marker('bytes', { type: 'ArrayBuffer', base64: Buffer.from(value).toString('base64') });
  }
  if (value instanceof Map) {
    const entries: unknown[] = [];
    let i = 0;
    for (const [k, v] of value) {
      const rule = typeof k === 'string' ? state.redactor?.sensitiveKeyRule(k) : undefined;
      entries.push([child(k, `${i}/0`), child(v, `${i}/1`, rule)]);
      i++;
    }
    return marker('Map', { entries });
  }
  if (value instanceof Set) return marker('Set', { values: [...value].map((v, i) => child(v, i)) });
  if (value instanceof RegExp) return marker('RegExp', { source: value.source, flags: value.flags });
  if (value instanceof URL) return marker('URL', { href: redact(value.href, state) });
  if (value instanceof URLSearchParams) return marker('URLSearchParams', { value: redact(value.toString(), state) });
  if (value instanceof Error) {
    return marker('Error', {
      name: value.name,
      message: redact(value.message, state),
      ...(value.stack ? { stack: redact(value.stack, state) } : {}),
    });
  }
  if (
    value instanceof Promise ||
    value instanceof WeakMap ||
    value instanceof WeakSet ||
    value instanceof WeakRef ||
    (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)
  ) {
    return marker('unsupported', { type: className(value) });
  }
  if (value instanceof String || value instanceof Number || value instanceof Boolean) {
    return marker('unsupported', { type: className(value), value: redact(String(value.valueOf()), state) });
  }
  return undefined;
}

function encodeInstance(value: object, child: Child, state: State): Marker {
  const keys = Object.keys(value);
  const kept = keys.filter((k) => !k.startsWith('_'));
  const omitted = keys.filter((k) => k.startsWith('_'));
  return marker('instance', {
    class: className(value),
    value: encodeFields(value, kept, child, state),
    methods: methodNames(value),
    ...(omitted.length > 0 ? { omitted } : {}),
  });
}

/** Callable names of the class chain (not Object.prototype's), for providers at replay. */
function methodNames(value: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(value); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (key === 'constructor' || key.startsWith('_')) continue;
      const d = Object.getOwnPropertyDescriptor(p, key);
      if (d && typeof d.value === 'function') names.add(key);
    }
  }
  return [...names];
}

function className(value: object): string {
  try {
    return (value.constructor as { name?: string } | undefined)?.name || 'Object';
  } catch {
    return 'Object';
  }
}

function redact(text: string, state: State): string {
  return state.redactor ? state.redactor.redactString(text) : text;
}

/** A property, encoded; a throwing getter or Proxy trap leaves an `unreadable` marker instead of failing. */
function property(source: object, key: string | number, child: Child, rule?: string): unknown {
  let value: unknown;
  try {
    value = (source as Record<string | number, unknown>)[key];
  } catch (err) {
    return marker('unreadable', { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
  return child(value, key, rule);
}
