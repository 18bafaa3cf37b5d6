import { errorMessage } from '../diagnostics.js';

/** What one POST (or a whole retry sequence) ended with. */
export type Outcome =
  | { kind: 'delivered' }
  /** Network error, timeout, 408, 429 or 5xx: worth retrying, then spooling. */
  | { kind: 'unavailable'; reason: string; retryAfterMs?: number }
  /** 401/403: the key is wrong or missing; keep the batch for when the user fixes it. */
  | { kind: 'unauthorized'; status: number }
  /** Any other non-2xx: the collector will never take this body. */
  | { kind: 'rejected'; status: number; text: string }
  /** shutdown() aborted the request or the wait before the next attempt. */
  | { kind: 'aborted' };

export interface TransportOptions {
  collectorUrl: string;
  apiKey?: string;
  requestTimeoutMs: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  fetch: typeof fetch;
}

// A collector asking for a longer pause than this would stall every batch behind it; past it we retry anyway.
const MAX_RETRY_AFTER_MS = 60_000;
const MAX_RESPONSE_TEXT = 500;

/**
 * POSTs request bodies to the collector with retries. Holds the only AbortController of the storage, so
 * shutdown() can cut both a request and a backoff wait short.
 */
export class Transport {
  readonly endpoint: string;
  /** The endpoint as it may appear in messages: without credentials, query or fragment. */
  readonly safeEndpoint: string;
  private readonly headers: Record<string, string>;
  private stopController = new AbortController();

  constructor(private readonly options: TransportOptions) {
    this.endpoint = `${options.collectorUrl.replace(/\/+$/, '')}/v1/fluxloop/records`;
    this.safeEndpoint = safeUrl(this.endpoint);
    this.headers = { 'Content-Type': 'application/json' };
    if (options.apiKey) this.headers.Authorization = `Bearer ${options.apiKey}`;
  }

  /** Removes the API key from any text that might reach a report or a file. */
  redact(text: string): string {
    const key = this.options.apiKey;
    return key ? text.split(key).join('[redacted]') : text;
  }

  stop(): void {
    this.stopController.abort();
  }

  get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Sends one body, retrying transient failures up to `attempts` times with full-jitter backoff. */
  async deliver(body: string, attempts = this.options.maxAttempts): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.post(body);
      if (outcome.kind !== 'unavailable' || attempt >= attempts) return outcome;
      const cap = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** (attempt - 1));
      const delay = outcome.retryAfterMs ?? Math.random() * cap;
      if (!(await this.sleep(delay))) return { kind: 'aborted' };
    }
  }

  private async post(body: string): Promise<Outcome> {
    if (this.stopped) return { kind: 'aborted' };
    const controller = new AbortController();
    const onStop = () => controller.abort();
    this.stopController.signal.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(() => controller.abort(), this.options.requestTimeoutMs);
    timer.unref();
    try {
      const res = await this.options.fetch(this.endpoint, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: controller.signal,
      });
      // Reading the body (also on success) releases the keep-alive connection for the next batch.
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) return { kind: 'delivered' };
      if (res.status === 401 || res.status === 403) return { kind: 'unauthorized', status: res.status };
      if (res.status === 408 || res.status === 429 || res.status >= 500) {
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
        const reason = `HTTP ${res.status}`;
        return retryAfterMs === undefined
          ? { kind: 'unavailable', reason }
          : { kind: 'unavailable', reason, retryAfterMs };
      }
      return { kind: 'rejected', status: res.status, text: this.redact(text.slice(0, MAX_RESPONSE_TEXT)) };
    } catch (err) {
      if (this.stopped) return { kind: 'aborted' };
      if (controller.signal.aborted) {
        return { kind: 'unavailable', reason: `no answer within ${this.options.requestTimeoutMs} ms` };
      }
      return { kind: 'unavailable', reason: this.redact(networkError(err)) };
    } finally {
      clearTimeout(timer);
      this.stopController.signal.removeEventListener('abort', onStop);
    }
  }

  /** Waits `ms` (unref'd: a pending retry alone must not keep the process alive); false if stopped meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.stopController.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onStop = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onStop);
        resolve(true);
      }, ms);
      timer.unref();
      signal.addEventListener('abort', onStop, { once: true });
    });
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** fetch() reports every network failure as "fetch failed"; the useful part (ECONNREFUSED, ...) is the cause. */
function networkError(err: unknown): string {
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return errorMessage(err);
}

function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return '<invalid collector URL>';
  }
}
