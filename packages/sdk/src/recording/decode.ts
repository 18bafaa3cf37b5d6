/**
 * Rebuilds recorded values for replay. Markers become the values they stand for; functions and class methods
 * become whatever `provide` returns (replay: providers that capture what the agent sends through them).
 */
import { isMarker, MARKER_KEY, type Marker, pointerSegment, TYPED_ARRAYS } from './markers.js';

export interface DecodeOptions {
  /**
   * The stand-in for a recorded function: `path` is where it was (`args.0.send`), `name` its recorded name.
   * Default: a function that returns undefined.
   */
  provide?(path: string, name: string): (...args: unknown[]) => unknown;
}

/** Non-enumerable tag on a revived class instance: the class it was recorded from. */
export const RECORDED_CLASS = Symbol.for('fluxloop.recording.class');

interface State {
  readonly provide: (path: string, name: string) => (...args: unknown[]) => unknown;
  /** Revived objects by JSON Pointer, for `ref` markers. */
  readonly byPointer: Map<string, unknown>;
}

/** Decodes a value recorded at `pointer` (`/args/0`, `/kwargs`). */
export function decodeRecorded(value: unknown, pointer: string, options: DecodeOptions = {}): unknown {
  const state: State = { provide: options.provide ?? (() => () => undefined), byPointer: new Map() };
  return decode(value, pointer, state);
}

/** A recorded call's args and kwargs, decoded together so references between them are kept. */
export function decodeCall(
  call: { args: unknown[]; kwargs: Record<string, unknown> },
  options: DecodeOptions = {},
): { args: unknown[]; kwargs: Record<string, unknown> } {
  const state: State = { provide: options.provide ?? (() => () => undefined), byPointer: new Map() };
  return {
    args: decode(call.args, '/args', state) as unknown[],
    kwargs: decode(call.kwargs, '/kwargs', state) as Record<string, unknown>,
  };
}

/** `/args/0/send` → `args.0.send`: the spelling users write in override_param_path. */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

function decode(value: unknown, pointer: string, state: State): unknown {
  if (value === null || typeof value !== 'object') return value;
  const at = (key: string | number) => `${pointer}/${pointerSegment(key)}`;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    state.byPointer.set(pointer, out);
    for (let i = 0; i < value.length; i++) out.push(decode(value[i], at(i), state));
    return out;
  }
  if (!isMarker(value)) return decodeFields(value as Record<string, unknown>, {}, pointer, state);
  return decodeMarker(value, pointer, state);
}

function decodeFields(
  fields: Record<string, unknown>,
  out: Record<string, unknown>,
  pointer: string,
  state: State,
): Record<string, unknown> {
  state.byPointer.set(pointer, out);
  for (const key of Object.keys(fields)) {
    const v = decode(fields[key], `${pointer}/${pointerSegment(key)}`, state);
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function decodeMarker(m: Marker, pointer: string, state: State): unknown {
  const value = decodeMarkerValue(m, pointer, state);
  // Every object is registered where it was first written: a later `ref` to a Date or a Buffer finds it too.
  if (value !== null && (typeof value === 'object' || typeof value === 'function') && !state.byPointer.has(pointer)) {
    state.byPointer.set(pointer, value);
  }
  return value;
}

function decodeMarkerValue(m: Marker, pointer: string, state: State): unknown {
  const at = (key: string | number) => `${pointer}/${pointerSegment(key)}`;
  switch (m[MARKER_KEY]) {
    case 'function':
      return state.provide(pointerToPath(pointer), String(m.name));
    case 'undefined':
      return undefined;
    case 'Number':
      return m.value === '-0' ? -0 : Number(m.value);
    case 'BigInt':
      return BigInt(String(m.value));
    case 'Symbol':
      return Symbol(m.description === null ? undefined : String(m.description));
    case 'Date':
      return new Date(m.value === null ? Number.NaN : String(m.value));
    case 'RegExp':
      return new RegExp(String(m.source), String(m.flags));
    case 'URL':
      return new URL(String(m.href));
    case 'URLSearchParams':
      return new URLSearchParams(String(m.value));
    case 'Error': {
      const err = errorOf(String(m.name), String(m.message));
      if (typeof m.stack === 'string') err.stack = m.stack;
      return err;
    }
    case 'bytes':
      return decodeBytes(String(m.type), String(m.base64));
    case 'Map': {
      const map = new Map();
      state.byPointer.set(pointer, map);
      (m.entries as unknown[][]).forEach(([k, v], i) => {
        map.set(decode(k, at(`${i}/0`), state), decode(v, at(`${i}/1`), state));
      });
      return map;
    }
    case 'Set': {
      const set = new Set();
      state.byPointer.set(pointer, set);
      (m.values as unknown[]).forEach((v, i) => {
        set.add(decode(v, at(i), state));
      });
      return set;
    }
    case 'ref':
      return state.byPointer.get(String(m.ref));
    case 'object':
      return decodeFields(m.value as Record<string, unknown>, {}, pointer, state);
    case 'instance': {
      const out: Record<string, unknown> = {};
      Object.defineProperty(out, RECORDED_CLASS, { value: m.class });
      decodeFields(m.value as Record<string, unknown>, out, pointer, state);
      for (const name of (m.methods as string[] | undefined) ?? []) {
        if (!Object.hasOwn(out, name)) out[name] = state.provide(`${pointerToPath(pointer)}.${name}`, name);
      }
      return out;
    }
    default:
      // unsupported, truncated, unreadable: lossy, so the marker itself stays, visible in the replayed call.
      return m;
  }
}

function decodeBytes(type: string, base64: string): unknown {
  const bytes = Buffer.from(base64, 'base64');
  if (type === 'Buffer') return bytes;
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (type === 'ArrayBuffer') return copy;
  const View = TYPED_ARRAYS[type];
  return View ? new View(copy) : bytes;
}

const ERROR_TYPES: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** A built-in error type comes back as itself; any other keeps its name on a plain Error. */
function errorOf(name: string, message: string): Error {
  const Type = ERROR_TYPES[name];
  if (Type) return new Type(message);
  const err = new Error(message);
  err.name = name;
  return err;
}
