import type { Redactor } from '../capture/redaction.js';
import { encoderState, encodeValue } from './encode.js';
import { pointerSegment } from './markers.js';

/** One line of a recording file (JSONL): the seed's shape. */
export interface RecordingLine {
  /** The wrapper's name (`name` option, else the function's name; `Class.method` for decorated methods). */
  function: string;
  /** Positional arguments, encoded. */
  args: unknown[];
  /** Named arguments, encoded. */
  kwargs: Record<string, unknown>;
  /** When the call was made: ISO 8601 UTC with milliseconds. */
  timestamp: string;
  /** The wrapper's paramNames when it declares them (kwargs are then named arguments, not one object argument). */
  params?: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  try {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    // A revoked Proxy: not a plain object; the encoder marks it unreadable.
    return false;
  }
}

/**
 * How a call's arguments split into `args` and `kwargs` (docs/cli/recording.md):
 * - with `paramNames`, the first `paramNames.length` arguments are `kwargs` under those names (a missing one is
 *   recorded as undefined) and any further ones are `args`;
 * - else a call with exactly one argument that is a plain object records that object as `kwargs`;
 * - else every argument is in `args` and `kwargs` is empty.
 */
export function splitCall(
  args: readonly unknown[],
  paramNames?: readonly string[],
): { args: unknown[]; kwargs: Record<string, unknown>; objectArgument: boolean } {
  if (paramNames && paramNames.length > 0) {
    const kwargs: Record<string, unknown> = {};
    paramNames.forEach((name, i) => {
      kwargs[name] = args[i];
    });
    return { args: args.slice(paramNames.length), kwargs, objectArgument: false };
  }
  if (args.length === 1 && isPlainObject(args[0])) return { args: [], kwargs: args[0], objectArgument: true };
  return { args: [...args], kwargs: {}, objectArgument: false };
}

/** The recording line of one call, encoded and redacted; references across its arguments are kept. */
export function recordingLine(
  name: string,
  args: readonly unknown[],
  paramNames: readonly string[] | undefined,
  redactor: Redactor | undefined,
  now: Date = new Date(),
): RecordingLine {
  const split = splitCall(args, paramNames);
  const state = encoderState(redactor ? { redactor } : {});
  const encodedArgs = split.args.map((a, i) => encodeValue(a, `/args/${i}`, state));
  let kwargs: Record<string, unknown>;
  if (split.objectArgument) {
    // The object itself sits at /kwargs, so that a reference back to it resolves there.
    kwargs = encodeValue(split.kwargs, '/kwargs', state) as Record<string, unknown>;
  } else {
    kwargs = {};
    for (const [key, value] of Object.entries(split.kwargs)) {
      const rule = redactor?.sensitiveKeyRule(key);
      kwargs[key] = encodeValue(value, `/kwargs/${pointerSegment(key)}`, state, 1, rule);
    }
  }
  return {
    function: name,
    args: encodedArgs,
    kwargs,
    timestamp: now.toISOString(),
    ...(paramNames && paramNames.length > 0 ? { params: [...paramNames] } : {}),
  };
}
