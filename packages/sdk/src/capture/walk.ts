/**
 * The generic path of toJsonText: turns any value into a tree of plain objects, arrays and JSON
 * primitives, already redacted and bounded, which JSON.stringify then encodes in one native call.
 */
import {
  cutString,
  describeThrown,
  itemsTruncationMarker,
  KEYS_TRUNCATION_KEY,
  keysTruncationMarker,
  redactionMarker,
  truncationMarker,
} from './markers.js';
import type { Redactor } from './redaction.js';

// A secret that straddles the cut point must still be seen whole by the redactor, so a long string is
// redacted over a window this much longer than what is kept.
const REDACTION_MARGIN = 512;

export interface WalkContext {
  readonly redactor: Redactor | undefined;
  readonly maxLength: number;
  readonly maxDepth: number;
  readonly maxItems: number;
  /** Containers being walked, outermost first: a value found here again is a cycle. */
  readonly ancestors: object[];
  /**
   * An estimate of the JSON text produced so far, in walk order (which is the text's order): short by
   * any escapes, over by at most a comma per container, so never above 1.5 times the true length.
   */
  produced: number;
  /**
   * Past this estimate the walk stops adding entries. It is at least 4 × maxLength, so the text is
   * certainly longer than maxLength by then and the part cut off is all that goes unwalked.
   */
  readonly budget: number;
  stopped: boolean;
}

/** A string leaf: masked under a sensitive key, else redacted, then cut to maxLength. */
export function stringLeaf(s: string, ctx: WalkContext, masked: string | undefined): string {
  if (masked !== undefined) {
    ctx.produced += masked.length + 13;
    return redactionMarker(masked);
  }
  const redactor = ctx.redactor;
  let out: string;
  if (s.length > ctx.maxLength) {
    const window = cutString(s, ctx.maxLength + REDACTION_MARGIN);
    out = cutString(redactor ? redactor.redactString(window) : window, ctx.maxLength) + truncationMarker(s.length);
  } else {
    out = redactor ? redactor.redactString(s) : s;
  }
  ctx.produced += out.length + 2;
  return out;
}

/** Returns the JSON-ready form of `value`, or undefined where JSON.stringify would omit it. */
export function walk(value: unknown, depth: number, ctx: WalkContext, masked: string | undefined): unknown {
  switch (typeof value) {
    case 'string':
      return stringLeaf(value, ctx, masked);
    case 'number':
      if (masked !== undefined) return stringLeaf('', ctx, masked);
      ctx.produced += 1;
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      ctx.produced += 4;
      return value;
    case 'bigint':
      return stringLeaf(`${value}n`, ctx, masked);
    case 'symbol':
      return stringLeaf(value.toString(), ctx, masked);
    case 'function':
      return stringLeaf(`[Function: ${functionName(value)}]`, ctx, masked);
    case 'object':
      if (value === null) {
        ctx.produced += 4;
        return null;
      }
      try {
        return walkObject(value, depth, ctx, masked);
      } catch (error) {
        // Proxies and exotic objects can throw from any trap; the rest of the value is still captured.
        return stringLeaf(`[Unserializable: ${describeThrown(error)}]`, ctx, masked);
      }
    default:
      return undefined;
  }
}

function functionName(fn: Function): string {
  try {
    return typeof fn.name === 'string' && fn.name !== '' ? fn.name : 'anonymous';
  } catch {
    return 'anonymous';
  }
}

function walkObject(value: object, depth: number, ctx: WalkContext, masked: string | undefined): unknown {
  if (ctx.ancestors.includes(value)) return stringLeaf('[Circular]', ctx, undefined);
  // Plain objects are by far the most common here; they skip the instanceof checks below.
  const proto = Object.getPrototypeOf(value);
  const plain = proto === Object.prototype || proto === null;
  const isArray = !plain && Array.isArray(value);
  if (!plain && !isArray) {
    const leaf = walkLeafObject(value, depth, ctx, masked);
    if (leaf !== NOT_A_LEAF) return leaf;
  }

  if (depth > ctx.maxDepth) {
    if (isArray) return stringLeaf(`[Array(${(value as unknown[]).length})]`, ctx, undefined);
    if (value instanceof Map) return stringLeaf(`[Map(${value.size})]`, ctx, undefined);
    if (value instanceof Set) return stringLeaf(`[Set(${value.size})]`, ctx, undefined);
    return stringLeaf('[Object]', ctx, undefined);
  }

  ctx.ancestors.push(value);
  try {
    if (isArray) return walkArray(value as unknown[], depth, ctx, masked);
    if (!plain) {
      if (value instanceof Map) return walkMap(value, depth, ctx, masked);
      if (value instanceof Set) return walkIterable(value.values(), value.size, depth, ctx, masked);
      if (value instanceof Error) return walkError(value, depth, ctx, masked);
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let replaced: unknown;
      try {
        replaced = toJSON.call(value, '');
      } catch (error) {
        return stringLeaf(`[toJSON threw: ${describeThrown(error)}]`, ctx, masked);
      }
      // A toJSON returning its own receiver would otherwise recurse forever.
      if (replaced !== value) return walk(replaced, depth + 1, ctx, masked);
    }
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    walkProperties(keys, (i) => readProperty(value, keys[i]!), out, depth, ctx, masked);
    return out;
  } finally {
    ctx.ancestors.pop();
  }
}

const NOT_A_LEAF = Symbol('not a leaf');

/** Objects whose JSON form does not nest, so the depth limit does not apply to them. */
function walkLeafObject(value: object, depth: number, ctx: WalkContext, masked: string | undefined): unknown {
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? null : stringLeaf(value.toISOString(), ctx, masked);
  }
  if (ArrayBuffer.isView(value)) {
    return stringLeaf(`[${value.constructor?.name ?? 'ArrayBufferView'}: ${value.byteLength} bytes]`, ctx, masked);
  }
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
    return stringLeaf(`[${value.constructor.name}: ${value.byteLength} bytes]`, ctx, masked);
  }
  if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof BigInt) {
    return walk(value.valueOf(), depth, ctx, masked);
  }
  if (value instanceof RegExp) return stringLeaf(value.toString(), ctx, masked);
  return NOT_A_LEAF;
}

function walkArray(value: unknown[], depth: number, ctx: WalkContext, masked: string | undefined): unknown[] {
  const length = value.length;
  const count = Math.min(length, ctx.maxItems);
  const out: unknown[] = [];
  ctx.produced += 2;
  for (let i = 0; i < count; i++) {
    if (ctx.produced > ctx.budget) {
      ctx.stopped = true;
      return out;
    }
    const item = walk(readProperty(value, i), depth + 1, ctx, masked);
    out.push(item === undefined ? null : item);
    ctx.produced += 1;
  }
  if (length > count) out.push(itemsTruncationMarker(length));
  return out;
}

function walkIterable(
  values: Iterator<unknown>,
  size: number,
  depth: number,
  ctx: WalkContext,
  masked: string | undefined,
): unknown[] {
  const out: unknown[] = [];
  ctx.produced += 2;
  for (let next = values.next(); !next.done; next = values.next()) {
    if (out.length >= ctx.maxItems) {
      out.push(itemsTruncationMarker(size));
      break;
    }
    if (ctx.produced > ctx.budget) {
      ctx.stopped = true;
      break;
    }
    const item = walk(next.value, depth + 1, ctx, masked);
    out.push(item === undefined ? null : item);
    ctx.produced += 1;
  }
  return out;
}

function walkMap(value: Map<unknown, unknown>, depth: number, ctx: WalkContext, masked: string | undefined): unknown {
  const entries: [unknown, unknown][] = [];
  let stringKeys = true;
  for (const entry of value) {
    if (entries.length >= ctx.maxItems) break;
    entries.push(entry);
    if (typeof entry[0] !== 'string') stringKeys = false;
  }
  if (stringKeys) {
    const out: Record<string, unknown> = {};
    const keys = entries.map((e) => e[0] as string);
    walkProperties(keys, (i) => entries[i]![1], out, depth, ctx, masked, value.size);
    return out;
  }
  ctx.produced += 2;
  const pairs: unknown[] = [];
  for (const [key, item] of entries) {
    if (ctx.produced > ctx.budget) {
      ctx.stopped = true;
      break;
    }
    const keyRule = typeof key === 'string' ? ctx.redactor?.sensitiveKeyRule(key) : undefined;
    // Entries sit one level below the Map, as properties do below an object; the pair is framing.
    const k = walk(key, depth + 1, ctx, masked);
    const v = walk(item, depth + 1, ctx, masked ?? keyRule);
    pairs.push([k === undefined ? null : k, v === undefined ? null : v]);
  }
  if (value.size > entries.length && !ctx.stopped) pairs.push(itemsTruncationMarker(value.size));
  return { '[Map]': pairs };
}

function walkError(value: Error, depth: number, ctx: WalkContext, masked: string | undefined): unknown {
  const out: Record<string, unknown> = {};
  const fields = ['name', 'message', 'stack'];
  if ('cause' in value) fields.push('cause');
  if (Array.isArray((value as { errors?: unknown }).errors)) fields.push('errors');
  for (const key of Object.keys(value)) if (!fields.includes(key)) fields.push(key);
  walkProperties(fields, (i) => readProperty(value, fields[i]!), out, depth, ctx, masked);
  return out;
}

/**
 * Copies the entries named by `keys` (values from `read`, called only for entries kept) into `out`,
 * each walked one level deeper and masked whole when its key is sensitive.
 */
function walkProperties(
  keys: readonly string[],
  read: (index: number) => unknown,
  out: Record<string, unknown>,
  depth: number,
  ctx: WalkContext,
  masked: string | undefined,
  total = keys.length,
): void {
  const count = Math.min(keys.length, ctx.maxItems);
  ctx.produced += 2;
  for (let i = 0; i < count; i++) {
    if (ctx.produced > ctx.budget) {
      ctx.stopped = true;
      return;
    }
    const key = keys[i]!;
    const keyRule = masked ?? ctx.redactor?.sensitiveKeyRule(key);
    const item = walk(read(i), depth + 1, ctx, keyRule);
    if (item === undefined) continue;
    ctx.produced += key.length + 4;
    setProperty(out, key, item);
  }
  if (total > count) setProperty(out, KEYS_TRUNCATION_KEY, keysTruncationMarker(total));
}

/** Reads a property, turning a throwing getter into a visible marker instead of a failed capture. */
function readProperty(source: object, key: string | number): unknown {
  try {
    return (source as Record<string | number, unknown>)[key];
  } catch (error) {
    return `[Getter threw: ${describeThrown(error)}]`;
  }
}

function setProperty(out: Record<string, unknown>, key: string, value: unknown): void {
  // Plain assignment to "__proto__" would set the prototype instead of creating a property.
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}
