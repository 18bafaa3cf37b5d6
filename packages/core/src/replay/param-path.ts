/**
 * override_param_path: where each generated input goes in a recorded call. `args.0`, `args.0.message`,
 * `kwargs.message`, array indices as `.0` or `[0]`, and a bare path such as `data.content` meaning
 * `kwargs.data.content`.
 */

export interface ParamPath {
  /** As written in configs/simulation.yaml. */
  text: string;
  /** Starts with 'args' or 'kwargs'; numeric segments index arrays. */
  segments: string[];
}

/** Parses a path, or returns what is wrong with it. */
export function parseParamPath(text: string): ParamPath | { problem: string } {
  const normalized = text.trim().replace(/\[(\d+)\]/g, '.$1');
  const segments = normalized.split('.');
  if (normalized === '' || segments.some((s) => s === '')) {
    return { problem: `"${text}" is not a path: write dot-separated keys, e.g. kwargs.message or args.0.text` };
  }
  if (segments[0] !== 'args' && segments[0] !== 'kwargs') segments.unshift('kwargs');
  if (segments.length === 1) {
    return {
      problem: `"${text}" names all the ${segments[0]}, not one value: add the ${
        segments[0] === 'args' ? 'argument index (args.0)' : 'argument name (kwargs.message)'
      }`,
    };
  }
  if (segments[0] === 'args' && !/^\d+$/.test(segments[1]!)) {
    return { problem: `"${text}": after args comes an argument index (args.0, args.1.text), not "${segments[1]}"` };
  }
  return { text, segments };
}

export type Resolved =
  | { ok: true; parent: Record<string, unknown> | unknown[]; key: string | number }
  | { ok: false; resolvedTo: string; keys: string[] };

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((_, i) => String(i));
  if (value !== null && typeof value === 'object') return Object.keys(value);
  return [];
}

/**
 * Finds the value the path names in a decoded call. The last key must exist too: a typo would otherwise add a
 * key the function never reads, and every run would quietly replay the recorded input.
 */
export function resolveParamPath(call: { args: unknown[]; kwargs: Record<string, unknown> }, p: ParamPath): Resolved {
  let node: unknown = call;
  for (let i = 0; i < p.segments.length; i++) {
    const segment = p.segments[i]!;
    const container = node;
    const has = Array.isArray(container)
      ? /^\d+$/.test(segment) && Number(segment) < container.length
      : container !== null && typeof container === 'object' && Object.hasOwn(container, segment);
    if (!has) return { ok: false, resolvedTo: p.segments.slice(0, i).join('.'), keys: keysOf(container) };
    if (i === p.segments.length - 1) {
      const key = Array.isArray(container) ? Number(segment) : segment;
      return { ok: true, parent: container as Record<string, unknown> | unknown[], key };
    }
    node = (container as Record<string, unknown>)[segment];
  }
  /* c8 ignore next */
  return { ok: false, resolvedTo: '', keys: [] };
}

/** Puts `value` where the path resolved. */
export function setResolved(resolved: Extract<Resolved, { ok: true }>, value: unknown): void {
  (resolved.parent as Record<string | number, unknown>)[resolved.key] = value;
}
