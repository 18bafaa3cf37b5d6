/**
 * Parsers for setting values. Each returns the parsed value or throws a ConfigValueError whose message says what
 * was expected, so that the resolver can name the variable or option alongside it.
 */
export class ConfigValueError extends Error {}

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

export function parseBoolean(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ConfigValueError('expected one of true, false, 1, 0, yes, no');
}

export function parseEnum<T extends string>(allowed: readonly T[]): (raw: string) => T {
  return (raw) => {
    const v = raw.trim().toLowerCase();
    if ((allowed as readonly string[]).includes(v)) return v as T;
    throw new ConfigValueError(`expected one of ${allowed.join(', ')}`);
  };
}

export function parseNumberIn(min: number, max: number, integer = false): (raw: string) => number {
  return (raw) => checkNumber(Number(raw.trim() === '' ? Number.NaN : raw), min, max, integer);
}

export function checkNumber(n: unknown, min: number, max: number, integer = false): number {
  const ok = typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n));
  if (!ok) throw new ConfigValueError(`expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  return n as number;
}

export function parseUrl(raw: string): string {
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
    return url.toString().replace(/\/$/, '');
  } catch {
    throw new ConfigValueError('expected an http:// or https:// URL');
  }
}

export function parseNonEmpty(raw: string): string {
  const v = raw.trim();
  if (!v) throw new ConfigValueError('expected a non-empty value');
  return v;
}

/**
 * `key1=value1,key2=value2` as in OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS (values percent-decoded,
 * per the OTel spec).
 */
export function parseKeyValueList(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq <= 0)
      throw new ConfigValueError(`expected key=value pairs separated by commas (bad entry "${part.trim()}")`);
    const key = part.slice(0, eq).trim();
    try {
      out[key] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new ConfigValueError(`bad percent-encoding in the value of "${key}"`);
    }
  }
  return out;
}

export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** Edit distance, for "did you mean" hints on misspelt variable and option names. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 4)) + 1;
  for (const candidate of candidates) {
    const d = distance(name.toUpperCase(), candidate.toUpperCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
