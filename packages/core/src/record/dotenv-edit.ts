import { isDeepStrictEqual, parseEnv } from 'node:util';
import { UserError } from '../errors.js';

/** What setDotenvValue did. */
export interface DotenvEdit {
  text: string;
  changed: boolean;
  /** The key's value before (as Node's parseEnv, which the SDK uses, reads it); null when it was not set. */
  previous: string | null;
  /** `replaced` the last assignment, `inserted` below a commented-out `# KEY=...`, or `appended`. */
  action: 'replaced' | 'inserted' | 'appended' | 'unchanged';
  /** The 1-based line of the assignment that now holds the value. */
  line: number;
}

export interface SetDotenvOptions {
  /** Leave the value alone when it already means the same (FLUXLOOP_RECORD_ARGS=1 when setting true). */
  same?: (current: string) => boolean;
}

interface Line {
  start: number;
  /** End of the line's text (before \r\n or \n). */
  end: number;
}

interface Assignment {
  valueStart: number;
  valueEnd: number;
  quote: string;
  line: number;
}

const QUOTES = ['"', "'", '`'];

/** The lines of `text` with their offsets; \r\n and \n both end a line. */
function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) {
      if (start < text.length) lines.push({ start, end: text.length });
      break;
    }
    lines.push({ start, end: newline > start && text[newline - 1] === '\r' ? newline - 1 : newline });
    start = newline + 1;
  }
  return lines;
}

/** The line ending the file uses (its first one), \n for a file without any. */
export function lineEnding(text: string): string {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

const ASSIGNMENT = /^ *(?:export +)?([^\s=#][^=]*?)[ \t]*=[ \t]*/;

/**
 * The assignments of `key`, read the way Node's parseEnv reads them: `KEY=value`, `export KEY=value`, quoted
 * values (which may span lines), and an unquoted value ending at `#`. Lines inside another key's multi-line
 * quoted value are skipped.
 */
function findAssignments(text: string, lines: Line[], key: string): Assignment[] {
  const found: Assignment[] = [];
  let skipUntil = -1;
  lines.forEach((line, index) => {
    if (line.start < skipUntil) return;
    const match = ASSIGNMENT.exec(text.slice(line.start, line.end));
    if (!match) return;
    const valueStart = line.start + match[0].length;
    const quote = QUOTES.find((q) => text[valueStart] === q) ?? '';
    let valueEnd: number;
    if (quote) {
      const close = text.indexOf(quote, valueStart + 1);
      if (close !== -1 && close >= line.end) skipUntil = close;
      valueEnd = close === -1 ? line.end : close + 1;
    } else {
      const hash = text.indexOf('#', valueStart);
      valueEnd = hash === -1 || hash > line.end ? line.end : hash;
      while (valueEnd > valueStart && /\s/.test(text[valueEnd - 1]!)) valueEnd--;
    }
    if (match[1] === key) found.push({ valueStart, valueEnd, quote, line: index + 1 });
  });
  return found;
}

/** A value written without quotes when it needs none, else in quotes parseEnv reads back literally. */
export function formatDotenvValue(value: string, preferredQuote = ''): string {
  if (preferredQuote && !value.includes(preferredQuote) && !value.includes('\\') && !/[\r\n]/.test(value)) {
    return `${preferredQuote}${value}${preferredQuote}`;
  }
  if (/^[\w./:@+,~%-]*$/.test(value)) return value;
  if (!value.includes("'") && !/[\r\n]/.test(value)) return `'${value}'`;
  if (!value.includes('"') && !value.includes('\\') && !/[\r\n]/.test(value)) return `"${value}"`;
  return `\`${value}\``;
}

/**
 * What parseEnv reads, without the "keys" Node 20 makes of a comment on the last line when the file has no final
 * newline (`# note = x` read as key `# note`): no real variable starts with `#`, and adding a line below the
 * comment makes them disappear, which must not count as changing another value.
 */
const parsed = (text: string): Record<string, string> =>
  Object.fromEntries(Object.entries(parseEnv(text) as Record<string, string>).filter(([k]) => !k.startsWith('#')));

/**
 * Sets `key=value` in the text of a .env file with the smallest edit: the value of the last assignment of the
 * key is replaced (its `export `, spacing, quotes and trailing comment kept), else the line goes below a
 * commented-out `# KEY=...`, else at the end. Every other byte stays as it was (line endings, a missing final
 * newline). The result is checked by parsing it: only `key` may differ.
 */
export function setDotenvValue(text: string, key: string, value: string, options: SetDotenvOptions = {}): DotenvEdit {
  const before = parsed(text);
  const previous = before[key] ?? null;
  const lines = splitLines(text);
  const assignments = findAssignments(text, lines, key);
  const last = assignments.at(-1);
  if (previous !== null && last && (previous === value || options.same?.(previous))) {
    return { text, changed: false, previous, action: 'unchanged', line: last.line };
  }
  const expected = { ...before, [key]: value };
  const attempts: (() => Omit<DotenvEdit, 'changed' | 'previous'>)[] = [];
  if (last) {
    attempts.push(() => ({
      text: text.slice(0, last.valueStart) + formatDotenvValue(value, last.quote) + text.slice(last.valueEnd),
      action: 'replaced',
      line: last.line,
    }));
  }
  attempts.push(() => addLine(text, lines, `${key}=${formatDotenvValue(value)}`, key));
  for (const attempt of attempts) {
    const edit = attempt();
    if (isDeepStrictEqual(parsed(edit.text), expected)) return { ...edit, changed: true, previous };
  }
  throw new UserError(`cannot set ${key} in .env without changing other values: set ${key}=${value} there by hand`);
}

function addLine(text: string, lines: Line[], assignment: string, key: string) {
  const eol = lineEnding(text);
  const placeholder = new RegExp(`^ *# *(?:export +)?${key.replace(/[^\w]/g, '\\$&')} *=`);
  const index = lines.findLastIndex((line) => placeholder.test(text.slice(line.start, line.end)));
  const after = index === -1 ? lines.at(-1) : lines[index]!;
  if (!after) return { text: `${assignment}${eol}`, action: 'appended' as const, line: 1 };
  const line = (index === -1 ? lines.length : index + 1) + 1;
  const action = index === -1 ? ('appended' as const) : ('inserted' as const);
  if (after.end === text.length) return { text: `${text}${eol}${assignment}`, action, line };
  const next = text.indexOf('\n', after.end) + 1;
  return { text: `${text.slice(0, next)}${assignment}${eol}${text.slice(next)}`, action, line };
}

/** The values a .env file sets (what the SDK reads); an empty object for a file that is not there. */
export function readDotenvValues(text: string | undefined): Record<string, string> {
  return text === undefined ? {} : parsed(text);
}
