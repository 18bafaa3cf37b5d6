/**
 * The visible markers the capture module leaves where it removed or shortened content. They live in one
 * place so that the redaction rules, the serializer and the tests agree on their exact spelling.
 */

/** What a redacted value or substring is replaced with: `[REDACTED:<rule name>]`. */
export function redactionMarker(ruleName: string): string {
  return `[REDACTED:${ruleName}]`;
}

/** Appended to a string leaf that was cut; `originalLength` is the leaf's length before the cut. */
export function truncationMarker(originalLength: number): string {
  return `…[truncated: ${originalLength} chars]`;
}

/**
 * Appended to JSON text that was cut as a whole. When the serializer stopped walking early to bound its
 * work, the true length is unknown and `exact` is false.
 */
export function jsonTruncationMarker(length: number, exact: boolean): string {
  return exact ? `…[truncated: ${length} chars of JSON]` : `…[truncated: over ${length} chars of JSON]`;
}

/** The last entry of an array (or Set, or non-string-keyed Map) cut at maxItems. */
export function itemsTruncationMarker(originalCount: number): string {
  return `…[truncated: ${originalCount} items]`;
}

/** Key and value of the last entry of an object cut at maxItems. */
export const KEYS_TRUNCATION_KEY = '…';
export function keysTruncationMarker(originalCount: number): string {
  return `[truncated: ${originalCount} keys]`;
}

/**
 * The first `length` UTF-16 code units of `s`, one fewer when the cut would separate a surrogate pair:
 * half a pair is not valid text, and JSON.stringify would turn it into a `\udxxx` escape.
 */
export function cutString(s: string, length: number): string {
  if (length >= s.length) return s;
  let end = Math.max(length, 0);
  if (end > 0) {
    const high = s.charCodeAt(end - 1);
    const low = s.charCodeAt(end);
    if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) end -= 1;
  }
  return s.slice(0, end);
}

/** A thrown value's message without risking a second throw (a message getter can throw too). */
export function describeThrown(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return 'unknown error';
  }
}
