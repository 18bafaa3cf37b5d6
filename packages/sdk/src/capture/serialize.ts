/**
 * toJsonText: any JS value to safe, redacted, bounded JSON text. It runs on the caller's thread for
 * every traced call, so the shapes seen most (a string, a number, a few positional arguments, a small
 * flat options object) take fast paths that end in a single JSON.stringify of the value itself.
 */
import { cutString, describeThrown, jsonTruncationMarker, redactionMarker } from './markers.js';
import type { Redactor } from './redaction.js';
import { stringLeaf, type WalkContext, walk } from './walk.js';

export interface SerializeOptions {
  redactor?: Redactor;
  /** Longest string leaf kept, and longest JSON text returned for objects and arrays (see toJsonText). */
  maxLength: number;
  /** Containers nested deeper than this are replaced by "[Object]" / "[Array(n)]". Default 12. */
  maxDepth?: number;
  /** Arrays, objects, Maps and Sets keep this many entries and a marker entry. Default 1000. */
  maxItems?: number;
  /**
   * Called when the value could not be serialized at all and the result is only a description of the
   * failure, so that the caller can count the SDK's own failures. Problems confined to one property
   * (a throwing getter or toJSON, a hostile Proxy) are reported in place instead.
   */
  onError?: (error: unknown) => void;
}

export const DEFAULT_MAX_DEPTH = 12;
export const DEFAULT_MAX_ITEMS = 1000;

// Fast paths handle containers up to these sizes; larger ones are rare enough for the generic walk.
const FAST_ARRAY_ITEMS = 8;
const FAST_OBJECT_KEYS = 16;
// The generic walk stops adding entries once this much text is certainly produced; everything past
// maxLength is cut anyway, so only the reported total length becomes approximate.
const MIN_WALK_BUDGET = 65_536;

/**
 * Always returns valid JSON text and never throws.
 *
 * - String leaves longer than maxLength keep maxLength chars (never half a surrogate pair) plus
 *   `…[truncated: N chars]`, N being the original length; redaction runs before the cut.
 * - When the value is an object or array whose JSON text is longer than maxLength, the result is a
 *   JSON string holding the first maxLength chars of that text plus `…[truncated: N chars of JSON]`.
 *   A scalar is bounded by the leaf cut alone (its JSON adds quotes and escapes to the kept chars):
 *   cutting it again would turn a readable string into quoted JSON text.
 */
export function toJsonText(value: unknown, options: SerializeOptions): string {
  const maxLength = normalizeLimit(options.maxLength, Number.POSITIVE_INFINITY);
  const redactor = options.redactor;
  try {
    switch (typeof value) {
      case 'string':
        if (value.length <= maxLength) return JSON.stringify(redactor ? redactor.redactString(value) : value);
        break;
      case 'number':
        return Number.isFinite(value) ? JSON.stringify(value) : 'null';
      case 'boolean':
        return value ? 'true' : 'false';
      case 'undefined':
        return 'null';
      case 'object': {
        if (value === null) return 'null';
        const maxItems = normalizeLimit(options.maxItems, DEFAULT_MAX_ITEMS);
        let fast: string | undefined;
        try {
          fast = Array.isArray(value)
            ? fastArray(value, redactor, maxLength, maxItems)
            : fastObject(value, redactor, maxLength, maxItems);
        } catch {
          // A throwing getter or Proxy trap: the generic walk reports it in place.
        }
        if (fast !== undefined) return fast;
        break;
      }
    }
    return generic(value, options, maxLength);
  } catch (error) {
    try {
      options.onError?.(error);
    } catch {
      // The caller's own hook must not break the promise of never throwing either.
    }
    return failure(error, redactor, maxLength);
  }
}

function normalizeLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined || Number.isNaN(limit)) return fallback;
  return limit <= 0 ? 0 : Math.floor(limit);
}

function generic(value: unknown, options: SerializeOptions, maxLength: number): string {
  const ctx: WalkContext = {
    redactor: options.redactor,
    maxLength,
    maxDepth: normalizeLimit(options.maxDepth, DEFAULT_MAX_DEPTH),
    maxItems: normalizeLimit(options.maxItems, DEFAULT_MAX_ITEMS),
    ancestors: [],
    produced: 0,
    budget: Math.max(4 * maxLength, MIN_WALK_BUDGET),
    stopped: false,
  };
  const tree = walk(value, 0, ctx, undefined);
  const json = JSON.stringify(tree) ?? 'null';
  if (tree === null || typeof tree !== 'object') return json;
  return bounded(json, maxLength, !ctx.stopped);
}

function bounded(json: string, maxLength: number, exact = true): string {
  if (json.length <= maxLength) return json;
  return JSON.stringify(cutString(json, maxLength) + jsonTruncationMarker(json.length, exact));
}

/** A few short strings and numbers: positional arguments, mostly. */
function fastArray(
  value: unknown[],
  redactor: Redactor | undefined,
  maxLength: number,
  maxItems: number,
): string | undefined {
  const length = value.length;
  // A subclass may define toJSON or index getters; only plain arrays are safe to stringify directly.
  if (length > FAST_ARRAY_ITEMS || length > maxItems || Object.getPrototypeOf(value) !== Array.prototype) {
    return undefined;
  }
  let copy: unknown[] | undefined;
  for (let i = 0; i < length; i++) {
    const item = value[i];
    if (typeof item === 'string') {
      if (item.length > maxLength) return undefined;
      if (redactor === undefined) continue;
      const redacted = redactor.redactString(item);
      if (redacted !== item) {
        copy ??= value.slice();
        copy[i] = redacted;
      }
    } else if (typeof item !== 'number') {
      return undefined;
    }
  }
  return bounded(JSON.stringify(copy ?? value), maxLength);
}

/** A small object of primitive values under plain keys: options and keyword arguments, mostly. */
function fastObject(
  value: object,
  redactor: Redactor | undefined,
  maxLength: number,
  maxItems: number,
): string | undefined {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(value);
  if (keys.length > FAST_OBJECT_KEYS || keys.length > maxItems) return undefined;
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === '__proto__') return undefined;
    const item = (value as Record<string, unknown>)[key];
    let out = item;
    if (typeof item === 'string') {
      if (item.length > maxLength) return undefined;
      if (redactor !== undefined) {
        const rule = redactor.sensitiveKeyRule(key);
        out = rule === undefined ? redactor.redactString(item) : redactionMarker(rule);
      }
    } else if (typeof item === 'number') {
      const rule = redactor?.sensitiveKeyRule(key);
      if (rule !== undefined) out = redactionMarker(rule);
    } else if (typeof item !== 'boolean' && item !== null) {
      return undefined;
    }
    if (out !== item) {
      if (copy === undefined) {
        copy = {};
        for (let j = 0; j < i; j++) copy[keys[j]!] = (value as Record<string, unknown>)[keys[j]!];
      }
    }
    if (copy !== undefined) copy[key] = out;
  }
  return bounded(JSON.stringify(copy ?? value), maxLength);
}

/** The last resort: a JSON string saying why the value could not be captured. */
function failure(error: unknown, redactor: Redactor | undefined, maxLength: number): string {
  try {
    const ctx = { redactor, maxLength, produced: 0 } as WalkContext;
    return JSON.stringify(stringLeaf(`[Unserializable: ${describeThrown(error)}]`, ctx, undefined));
  } catch {
    return '"[Unserializable]"';
  }
}
