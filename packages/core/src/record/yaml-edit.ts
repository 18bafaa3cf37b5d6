import { isDeepStrictEqual } from 'node:util';
import {
  isAlias,
  isMap,
  isScalar,
  type Node,
  type Pair,
  type ParsedNode,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { ConfigError, UserError } from '../errors.js';
import { parseYamlSource } from '../project/yaml-source.js';
import { lineEnding } from './dotenv-edit.js';

/** What setYamlValue did. */
export interface YamlEdit {
  text: string;
  changed: boolean;
  /** The value before; undefined when the key was not there. */
  previous: unknown;
}

/** Where a missing key goes in its block mapping: as the first key, or after the last one. */
export type InsertPosition = 'first' | 'last';

const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true } as const;

/**
 * Sets `parent.key` (a key of a top-level mapping) in the text of a YAML file with the smallest edit: an
 * existing value's characters are replaced, a missing key gets its own line indented like its siblings (in a flow
 * mapping `{ a: 1 }`, an entry before the closing brace), a missing parent a block of its own. Comments, key order,
 * quoting and blank lines stay as they were. A flow mapping the splice cannot extend (a comment inside it) is
 * rewritten by the yaml library instead. The result is parsed again and must differ from the original in that one
 * value only.
 */
export function setYamlValue(
  text: string,
  file: string,
  path: readonly [string, string],
  value: boolean | string,
  position: InsertPosition = 'last',
): YamlEdit {
  if (text.startsWith('\uFEFF')) {
    // A byte order mark would shift every column the splice computes: edit without it, then put it back.
    const edit = setYamlValue(text.slice(1), file, path, value, position);
    return { ...edit, text: edit.changed ? `\uFEFF${edit.text}` : text };
  }
  const source = parseYamlSource(text, file);
  if (source.issues.length) {
    throw new ConfigError(source.issues, `cannot edit ${file}: it is not valid YAML, so nothing was written:`);
  }
  const before = source.value as Record<string, unknown>;
  const doc = parseDocument(text, PARSE_OPTIONS);
  const root = doc.contents;
  if (root !== null && !isMap(root)) throw located(file, source, [], 'must be a mapping of keys');
  const parentValue = before[path[0]];
  const parentIsEmpty = parentValue === null || parentValue === undefined;
  if (!parentIsEmpty && (typeof parentValue !== 'object' || Array.isArray(parentValue))) {
    throw located(file, source, [path[0]], `must be a mapping (${path[1]}: ..., ...)`);
  }
  const previous = parentIsEmpty ? undefined : (parentValue as Record<string, unknown>)[path[1]];
  if (previous === value) return { text, changed: false, previous };

  const expected = { ...before, [path[0]]: { ...(parentIsEmpty ? {} : (parentValue as object)), [path[1]]: value } };
  const readsBack = (edited: string) => {
    const check = parseYamlSource(edited, file);
    return check.issues.length === 0 && isDeepStrictEqual(check.value, expected);
  };
  let edited = spliced(text, root, path, value, position, lineEnding(text));
  let ok = edited !== undefined && readsBack(edited);
  const flow = root && findFlow(root, path[0]);
  if (!ok && (flow || edited === undefined)) {
    // What the splice cannot do (a flow mapping with comments inside, a block scalar): the library rewrites it.
    try {
      doc.setIn([...path], value);
      edited = doc.toString({ lineWidth: 0, flowCollectionPadding: flow ? text[flow.range![0] + 1] === ' ' : true });
      ok = readsBack(edited);
    } catch {
      // An alias (`replay_args: *defaults`) cannot be edited in place: the message below says to do it by hand.
      ok = false;
    }
  }
  if (!ok || edited === undefined) {
    throw new UserError(
      `cannot set ${path.join('.')} in ${file} without changing anything else (anchors or tags in the way?): ` +
        `set ${path[1]}: ${String(value)} under ${path[0]} by hand`,
    );
  }
  return { text: edited, changed: true, previous };
}

function located(file: string, source: ReturnType<typeof parseYamlSource>, path: string[], message: string) {
  const where = source.locate(path);
  return new ConfigError([{ file, ...(where ?? {}), path: path.join('.'), message }], `cannot edit ${file}:`);
}

function findPair(map: YAMLMap, key: string): Pair<ParsedNode, ParsedNode | null> | undefined {
  return (map.items as Pair<ParsedNode, ParsedNode | null>[]).find(
    (pair) => isScalar(pair.key) && String(pair.key.value) === key,
  );
}

/** The flow mapping the library will rewrite, if the edit lands in one (to keep its `{ a }` or `{a}` spacing). */
function findFlow(root: ParsedNode, key: string): Node | undefined {
  if (isMap(root) && root.flow) return root;
  const value = isMap(root) ? findPair(root, key)?.value : undefined;
  return isMap(value) && value.flow ? value : undefined;
}

/** The edited text, or undefined when only a rewrite by the library will do (flow mappings, odd values). */
function spliced(
  text: string,
  root: ParsedNode | null,
  path: readonly [string, string],
  value: boolean | string,
  position: InsertPosition,
  eol: string,
): string | undefined {
  const [parentKey, key] = path;
  if (root === null) {
    const block = `${parentKey}:${eol}  ${key}: ${render(value, undefined, false)}`;
    if (text === '') return `${block}${eol}`;
    return /\r?\n$/.test(text) ? `${text}${block}${eol}` : `${text}${eol}${block}`;
  }
  const map = root as YAMLMap<ParsedNode, ParsedNode | null>;
  const pair = findPair(map, parentKey);
  if (!pair) {
    if (map.flow)
      return flowInsert(text, map, `${parentKey}: ${braces(text, map, `${key}: ${render(value, undefined, true)}`)}`);
    const rootIndent = column(text, map.items[0]!.key.range[0]);
    const at = afterLastItem(text, map, rootIndent);
    const child = ' '.repeat(rootIndent + indentUnit(text, map));
    return insert(text, at, `${eol}${' '.repeat(rootIndent)}${parentKey}:${eol}${child}${key}: ${render(value)}`);
  }
  const parent = pair.value;
  if (parent === null || (isScalar(parent) && parent.value === null)) {
    if (map.flow) return undefined;
    const indent = ' '.repeat(column(text, pair.key.range[0]) + indentUnit(text, map));
    let edited = text;
    let keyLineEnd = lineEnd(text, pair.key.range[1]);
    if (parent && parent.range[1] > parent.range[0]) {
      // `parent: ~` or `parent: null`: the null goes, a comment after it stays.
      let start = parent.range[0];
      let end = parent.range[1];
      const comment = /^[ \t]+#/.exec(text.slice(end, lineEnd(text, end)));
      if (comment) end += comment[0].length - 1;
      else if (lineEnd(text, end) === end) while (start > pair.key.range[1] + 1 && text[start - 1] === ' ') start--;
      edited = text.slice(0, start) + text.slice(end);
      keyLineEnd -= end - start;
    }
    return insert(edited, keyLineEnd, `${eol}${indent}${key}: ${render(value)}`);
  }
  if (!isMap(parent)) return undefined;
  const child = findPair(parent, key);
  if (child) {
    const node = child.value;
    if (node === null || (!isScalar(node) && !isAlias(node))) return undefined;
    if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) return undefined;
    const [start, end] = node.range;
    let written = render(value, isScalar(node) ? node : undefined, parent.flow === true);
    if (start === end) {
      if (text[start - 1] === ':') written = ` ${written}`;
      if (start < text.length && !/\s/.test(text[start]!)) written = `${written} `;
    }
    return text.slice(0, start) + written + text.slice(end);
  }
  if (parent.flow) return flowInsert(text, parent, `${key}: ${render(value, undefined, true)}`);
  const indent = column(text, (parent.items[0] as Pair<ParsedNode>).key.range[0]);
  const line = `${' '.repeat(indent)}${key}: ${render(value)}`;
  if (position === 'first') {
    const next = text.indexOf('\n', pair.key.range[1]) + 1;
    return insert(text, next, `${line}${eol}`);
  }
  return insert(text, afterLastItem(text, parent, indent), `${eol}${line}`);
}

/** `{ a: 1 }` -> `{ a: 1, entry }`: the entry goes before the closing brace. */
function flowInsert(text: string, map: YAMLMap, entry: string): string | undefined {
  const [start, end] = map.range!;
  if (text[end - 1] !== '}' || map.items.length === 0) return undefined;
  let at = end - 1;
  while (at > start + 1 && /\s/.test(text[at - 1]!)) at--;
  return insert(text, at, `${text[at - 1] === ',' ? ' ' : ', '}${entry}`);
}

/** A one-entry flow mapping spaced like `map` (`{ a: 1 }` or `{a: 1}`). */
function braces(text: string, map: YAMLMap, entry: string): string {
  return text[map.range![0] + 1] === ' ' ? `{ ${entry} }` : `{${entry}}`;
}

function insert(text: string, at: number, inserted: string): string {
  return text.slice(0, at) + inserted + text.slice(at);
}

/** The column (0-based) of an offset. */
function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The end of the line holding `offset` (before its \r\n or \n). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline === -1) return text.length;
  return newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
}

/**
 * Where a new last key of a block mapping goes: the end of the line where its last value ends, and past the
 * comment lines right below it that are indented at least as deep as the keys (they belong to the mapping).
 */
function afterLastItem(text: string, map: YAMLMap<ParsedNode, ParsedNode | null>, indent: number): number {
  const last = map.items.at(-1)!;
  let end = last.value?.range[1] ?? last.key.range[1];
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  let at = lineEnd(text, end);
  for (;;) {
    const next = text.indexOf('\n', at);
    if (next === -1) return at;
    const following = text.slice(next + 1, lineEnd(text, next + 1));
    const match = /^( *)#/.exec(following);
    if (!match || match[1]!.length < indent) return at;
    at = lineEnd(text, next + 1);
  }
}

/** The file's indentation step: that of the first nested block mapping, else 2. */
function indentUnit(text: string, root: YAMLMap<ParsedNode, ParsedNode | null>): number {
  for (const pair of root.items) {
    const value = pair.value;
    if (isMap(value) && !value.flow && value.items.length) {
      const step = column(text, (value.items[0] as Pair<ParsedNode>).key.range[0]) - column(text, pair.key.range[0]);
      if (step > 0) return step;
    }
  }
  return 2;
}

/** A value as YAML text: booleans plain; strings in the quotes the old value used, plain when that reads back. */
function render(value: boolean | string, old?: Scalar, flow = false): string {
  if (typeof value === 'boolean') return String(value);
  if (old?.type === 'QUOTE_SINGLE' && !/[\r\n]/.test(value)) return `'${value.replaceAll("'", "''")}'`;
  if (old?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  return plainReadsBack(value, flow) ? value : JSON.stringify(value);
}

function plainReadsBack(value: string, flow: boolean): boolean {
  if (value === '' || value.trim() !== value || /[\r\n\t]/.test(value) || (flow && /[,[\]{}]/.test(value)))
    return false;
  const doc = parseDocument(`k: ${value}\n`, PARSE_OPTIONS);
  return doc.errors.length === 0 && isDeepStrictEqual(doc.toJS(), { k: value });
}
