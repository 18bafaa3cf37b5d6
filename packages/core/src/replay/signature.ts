import { wrappedInfo } from '@fluxloop/sdk/recording';
import type { Recording } from './recordings.js';

/** The function an experiment replays into: the target as loaded, before any binding. */
export interface ReplayedFunction {
  fn: (...args: unknown[]) => unknown;
  /** As written in runner.target, for messages. */
  description: string;
}

/** Names recordings carry for this function: its wrapper name (decorated methods: `Class.method`). */
export function recordsAs(fn: ReplayedFunction['fn']): string | undefined {
  return wrappedInfo(fn)?.name;
}

export function matchesFunction(recorded: string, name: string): boolean {
  return recorded === name || recorded.endsWith(`.${name}`);
}

const list = (names: Iterable<string>) => [...names].join(', ') || 'none';

/**
 * Why a recording no longer fits the function (the seed's "recordings match your current agent signature"), or
 * undefined. With paramNames the recorded names must be exactly the declared ones; otherwise the declared
 * parameter count (Function.length) must not exceed what the recording holds.
 */
export function signatureMismatch(recording: Recording, target: ReplayedFunction): string | undefined {
  const info = wrappedInfo(target.fn);
  const declared = info?.length ?? target.fn.length;
  const paramNames = info?.paramNames ?? [];
  const recordedNames = Object.keys(recording.kwargs);
  if (paramNames.length > 0) {
    const gone = recordedNames.filter((n) => !paramNames.includes(n));
    const added = paramNames.filter((n) => !recordedNames.includes(n));
    if (gone.length === 0 && added.length === 0) return undefined;
    return (
      `recorded with named arguments (${list(recordedNames)}), but ${target.description} now declares ` +
      `paramNames (${list(paramNames)})` +
      (added.length ? `; not in the recording: ${list(added)}` : '') +
      (gone.length ? `; no longer declared: ${list(gone)}` : '')
    );
  }
  if (recording.params) {
    return (
      `recorded with paramNames (${list(recording.params)}), but ${target.description} declares no paramNames ` +
      'any more: declare them on its wrapper again, or re-record'
    );
  }
  const objectArgument = recording.args.length === 0 && recordedNames.length > 0;
  if (objectArgument && declared > 1) {
    return (
      `the recording holds one object argument (${list(recordedNames)}), but ${target.description} now declares ` +
      `${declared} parameters`
    );
  }
  const held = objectArgument ? 1 : recording.args.length;
  if (!objectArgument && recordedNames.length > 0) {
    return (
      `recorded with named arguments (${list(recordedNames)}), but ${target.description} declares no paramNames ` +
      'any more'
    );
  }
  if (declared > held) {
    return `the recording holds ${held} argument${held === 1 ? '' : 's'}, but ${target.description} now declares ${declared} parameters`;
  }
  return undefined;
}

/** The arguments to call the function with: kwargs go back to the positions paramNames gives them. */
export function callArguments(
  target: ReplayedFunction,
  call: { args: unknown[]; kwargs: Record<string, unknown> },
  recording: Recording,
): unknown[] {
  const paramNames = wrappedInfo(target.fn)?.paramNames ?? [];
  if (paramNames.length > 0) return [...paramNames.map((n) => call.kwargs[n]), ...call.args];
  const objectArgument = recording.args.length === 0 && Object.keys(recording.kwargs).length > 0;
  return objectArgument ? [call.kwargs] : call.args;
}
