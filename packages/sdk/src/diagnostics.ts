/**
 * How the SDK reports its own problems. The SDK fails open: its failures never throw into user code,
 * they are reported here, once per key, so a broken disk does not flood the application's stderr.
 */
export interface Reporter {
  /** Reports `message` the first time `key` is seen; later reports with the same key are counted only. */
  warn(key: string, message: string): void;
}

export interface ReporterOptions {
  /** Where lines go; defaults to process.stderr. */
  write?: (line: string) => void;
}

/** A reporter that writes each key's first message to stderr with a `[fluxloop]` prefix. */
export class ConsoleReporter implements Reporter {
  private readonly seen = new Map<string, number>();
  private readonly write: (line: string) => void;

  constructor(options: ReporterOptions = {}) {
    this.write = options.write ?? ((line) => process.stderr.write(line));
  }

  warn(key: string, message: string): void {
    const count = this.seen.get(key) ?? 0;
    this.seen.set(key, count + 1);
    if (count === 0) this.write(`[fluxloop] ${message}\n`);
  }
}

/** Collects messages in memory; for tests and for the worker thread, which forwards them to the main thread. */
export class MemoryReporter implements Reporter {
  readonly messages: { key: string; message: string }[] = [];
  warn(key: string, message: string): void {
    this.messages.push({ key, message });
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
