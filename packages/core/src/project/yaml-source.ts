import { isMap, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument } from 'yaml';
import type { ConfigIssue } from '../errors.js';

/** A YAML file parsed with positions kept, so every problem found later can name its line and column. */
export interface YamlSource {
  /** The file as the user should see it in messages (relative to the project root when inside it). */
  file: string;
  /** The document as plain JSON values; an empty file is an empty mapping. */
  value: unknown;
  /** Syntax problems (empty when the file parsed). */
  issues: ConfigIssue[];
  /** Line and column of the value at `path`, or of its nearest existing ancestor. */
  locate(path: readonly (string | number)[], key?: boolean): { line: number; column: number } | undefined;
}

function scalarKey(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const issues: ConfigIssue[] = [...doc.errors, ...doc.warnings].map((e) => ({
    file,
    ...position(e.pos[0]),
    path: '',
    message: `YAML ${e.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'syntax'}: ${e.message.split('\n')[0]}`,
  }));
  let value: unknown = {};
  if (issues.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 1000 }) ?? {};
    } catch (err) {
      issues.push({ file, path: '', message: `YAML: ${(err as Error).message}` });
    }
  }
  const locate = (path: readonly (string | number)[], key = false) => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    for (const segment of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => String(scalarKey(p)) === String(segment));
        if (!pair) break;
        keyNode = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(segment)];
        if (item === undefined) break;
        node = item;
      } else break;
    }
    const target = key && keyNode ? keyNode : (node as Node | null);
    const offset = target?.range?.[0];
    return offset === undefined ? undefined : position(offset);
  };
  return { file, value, issues, locate };
}

/** ['input_generation', 'strategies', 2] from `input_generation.strategies[2]` (the inverse of dottedPath). */
export function pathSegments(dotted: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of dotted.split('.')) {
    const [, name, indexes] = /^([^[]*)((?:\[\d+\])*)$/.exec(part) ?? [undefined, part, ''];
    if (name) segments.push(name);
    for (const m of (indexes ?? '').matchAll(/\[(\d+)\]/g)) segments.push(Number(m[1]));
  }
  return segments;
}

/** `input_generation.strategies[2]` from ['input_generation', 'strategies', 2]. */
export function dottedPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
