/**
 * The recording format's type markers. A value JSON cannot hold as itself is written as an object with the key
 * `$fluxloop` naming its type, e.g. `{"$fluxloop":"Date","value":"2026-11-23T10:30:00.000Z"}`. decodeRecorded()
 * turns every marker back into the value, except the lossy ones (`instance` fields left out, `unsupported`,
 * `truncated`, `unreadable`), which stay visible as the marker object itself.
 */
export const MARKER_KEY = '$fluxloop';

export type MarkerType =
  /** A callable: `{name}`. Replay puts a provider in its place that captures what the agent sends through it. */
  | 'function'
  | 'undefined'
  /** NaN, Infinity, -Infinity, -0: `{value: "NaN"}`. */
  | 'Number'
  | 'BigInt'
  | 'Symbol'
  | 'Date'
  | 'RegExp'
  | 'URL'
  | 'URLSearchParams'
  | 'Error'
  | 'Map'
  | 'Set'
  /** Binary data: `{type: "Buffer" | "Uint8Array" | "ArrayBuffer" | ..., base64}`. */
  | 'bytes'
  /** A second reference to an object already written (shared or circular): `{ref: "/args/0"}` (JSON Pointer). */
  | 'ref'
  /** A plain object that has a `$fluxloop` key of its own: `{value: {...}}`. */
  | 'object'
  /**
   * A class instance: `{class, value, methods, omitted?}`. Public own fields are kept; fields whose name starts
   * with `_` (private by convention: sockets, parsers, timers) are listed in `omitted`; `methods` are the
   * callable names of its class chain, which replay turns into capturing providers.
   */
  | 'instance'
  /** Something that cannot be recorded (a Promise, a WeakMap): `{type}`. */
  | 'unsupported'
  /** Nested deeper than the recording's depth limit: `{type}`. */
  | 'truncated'
  /** A property whose getter threw: `{error}`. */
  | 'unreadable';

export type Marker = { [MARKER_KEY]: MarkerType } & Record<string, unknown>;

export function isMarker(value: unknown): value is Marker {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>)[MARKER_KEY] === 'string'
  );
}

/** RFC 6901 JSON Pointer segment escaping. */
export function pointerSegment(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Binary types written as `bytes` markers and revived as the same type. */
export const TYPED_ARRAYS: Record<string, new (buffer: ArrayBuffer) => ArrayBufferView> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
};
