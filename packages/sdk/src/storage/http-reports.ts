import type { Reporter } from '../diagnostics.js';

/**
 * The user-facing messages of HTTP storage. Every message passes through `redact`, so the API key cannot
 * reach the console even when a collector echoes it back or a URL carries it.
 */
export class HttpReports {
  constructor(
    private readonly reporter: Reporter,
    private readonly redact: (text: string) => string,
    private readonly endpoint: string,
    private readonly spoolDir: string,
  ) {}

  warn(key: string, message: string): void {
    this.reporter.warn(key, this.redact(message));
  }

  unavailable(reason: string): void {
    this.warn(
      'http-storage:unavailable',
      `could not reach the FluxLoop collector at ${this.endpoint} (${reason}); ` +
        `batches are spooled to ${this.spoolDir} and re-sent when it answers again`,
    );
  }

  unauthorized(status: number): void {
    this.warn(
      'http-storage:unauthorized',
      `the FluxLoop collector at ${this.endpoint} refused the API key (HTTP ${status}); check ` +
        `FLUXLOOP_API_KEY. Batches are spooled to ${this.spoolDir} and re-sent once a valid key is used`,
    );
  }

  /** Keyed by status, so a 400 and a 413 each get their first report. */
  rejected(status: number, text: string, what: string, where: string): void {
    this.warn(
      `http-storage:rejected:${status}`,
      `the FluxLoop collector at ${this.endpoint} rejected ${what} with HTTP ${status}: ` +
        `${text || '(empty response)'}; ${where} and will not be retried`,
    );
  }
}

/** flush() promises, each waiting until every batch sealed up to its target seq is settled. */
export class FlushWaiters {
  private readonly waiters = new Set<{ target: number; done: (ok: boolean) => void }>();

  wait(target: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      // Not unref'd, unlike every other timer of the storage: the caller is awaiting this promise, and an
      // unref'd timer would let the process exit with it unsettled. It is bounded by timeoutMs.
      const timer = setTimeout(() => waiter.done(false), timeoutMs);
      const waiter = {
        target,
        done: (ok: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(ok);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves every waiter whose target is now settled. */
  check(doneThrough: (target: number) => boolean): void {
    for (const waiter of this.waiters) if (doneThrough(waiter.target)) waiter.done(true);
  }
}
