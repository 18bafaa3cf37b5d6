import { UserError } from '../../../errors.js';

/** A parsed `response.output_path`: `choices.0.message.content` -> ['choices', '0', 'message', 'content']. */
export type OutputPath = readonly string[];

/** Parses and checks an output path at target creation, so a typo fails before the first run. */
export function parseOutputPath(path: string, where: string): OutputPath {
  const segments = path.split('.');
  if (path.length === 0 || segments.some((s) => s.length === 0)) {
    throw new UserError(
      `${where}: "${path}" is not a dotted path: write keys and array indices separated by dots, e.g. choices.0.message.content`,
    );
  }
  return segments;
}

export type PathLookup = { found: true; value: unknown } | { found: false; problem: string };

/**
 * The value at `path` inside a parsed JSON document. A numeric segment indexes an array (and is a plain key in an
 * object). When the path does not resolve, `problem` says where it stopped and what exists there instead.
 */
export function lookupPath(document: unknown, path: OutputPath): PathLookup {
  let current = document;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const reached = i === 0 ? 'the response' : `"${path.slice(0, i).join('.')}"`;
    if (Array.isArray(current)) {
      const index = /^\d+$/.test(segment) ? Number(segment) : Number.NaN;
      if (!(index < current.length)) {
        const problem = Number.isNaN(index)
          ? `${reached} is an array, so "${segment}" must be an index (0 to ${current.length - 1})`
          : `${reached} is an array of ${current.length}, it has no index ${segment}`;
        return { found: false, problem };
      }
      current = current[index];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.hasOwn(current, segment)) {
        const keys = Object.keys(current);
        const known = keys.length > 0 ? `its keys are ${keys.join(', ')}` : 'it is an empty object';
        return { found: false, problem: `${reached} has no key "${segment}": ${known}` };
      }
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false, problem: `${reached} is ${describe(current)}, not an object or array` };
    }
  }
  return { found: true, value: current };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string`;
  return `a ${typeof value}`;
}
