/** How requests are retried: ours is the only retry layer (LangChain's and the SDKs' are set to 0). */
export interface RetryPolicy {
  /** Retries after the first attempt (input_generation.llm.max_retries). */
  maxRetries: number;
  /** First backoff; doubles each retry. Default 1000. */
  baseDelayMs: number;
  /** Largest backoff without Retry-After. Default 30000. */
  maxDelayMs: number;
  /** Largest wait a Retry-After header may ask for; longer asks fail the request. Default 300000. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'maxRetries'> = {
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

export interface FailureInfo {
  retryable: boolean;
  /** HTTP status when the provider answered. */
  status?: number;
  retryAfterMs?: number;
  /** Short description for messages: "HTTP 429", "timed out after 60s", "network error: ECONNREFUSED". */
  reason: string;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, unknown>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key ? record[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Retry-After as milliseconds: `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const ms = Number(header(headers, 'retry-after-ms'));
  if (header(headers, 'retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = header(headers, 'retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

function networkCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** The first line of an error's message, capped: SDK messages append troubleshooting links and bodies. */
function firstLine(err: unknown): string {
  const message = String((err as Error)?.message ?? '')
    .split('\n')[0]!
    .trim();
  return message.length > 300 ? `${message.slice(0, 300)}...` : message;
}

/** Whether a failed request is worth repeating: 408, 409, 429, 5xx, timeouts and connection failures. */
export function classifyFailure(err: unknown): FailureInfo {
  const e = err as { status?: unknown; headers?: unknown; name?: unknown; constructor?: { name?: string } };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  if (status !== undefined) {
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const after = retryAfterMs(e.headers);
    const detail = firstLine(err).replace(new RegExp(`^${status}\\s*`), '');
    const reason = detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`;
    return { retryable, status, reason, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  const code = networkCode(err);
  if (code) return { retryable: true, reason: `network error: ${code}` };
  const kind = `${String(e?.name ?? '')} ${e?.constructor?.name ?? ''}`;
  if (/Timeout/i.test(kind)) return { retryable: true, reason: 'timed out' };
  if (/APIConnectionError/.test(kind) || /fetch failed|socket hang up|network/i.test(String((err as Error)?.message))) {
    return { retryable: true, reason: 'network error' };
  }
  return { retryable: false, reason: firstLine(err) || String(err) };
}

/** The wait before retry number `retry` (0-based): Retry-After when given, else exponential backoff with jitter. */
export function retryDelay(
  retry: number,
  policy: Omit<RetryPolicy, 'maxRetries'>,
  failure: FailureInfo,
  random: () => number = Math.random,
): number {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  // "Equal jitter": half fixed, half random, so concurrent requests spread out but never retry at once.
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
