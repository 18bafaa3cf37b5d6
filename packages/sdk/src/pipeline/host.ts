import { errorMessage, type Reporter } from '../diagnostics.js';
import type { StorageStats } from '../storage/types.js';
import { within } from '../timeout.js';
import type { RecordPipeline } from './record-pipeline.js';
import type { WireBatch } from './wire.js';

/** Where the span processor sends its batches: a worker thread, or the main thread itself. */
export interface ExportHost {
  /** Spans sent but not yet durable in storage. */
  readonly inFlight: number;
  /** Takes ownership of the batch. Never throws. */
  send(batch: WireBatch): void;
  /** Resolves true when everything sent so far is durable, false on timeout. Never rejects. */
  flush(timeoutMs: number): Promise<boolean>;
  /** For the process `exit` event: make everything sent so far durable, synchronously. */
  flushSync(timeoutMs: number): void;
  shutdown(timeoutMs: number): Promise<boolean>;
  stats(): StorageStats;
}

/** Runs the pipeline on the calling thread: for custom storages, and when a worker cannot start. */
export class InlineHost implements ExportHost {
  readonly inFlight = 0;

  constructor(
    private readonly pipeline: RecordPipeline,
    private readonly reporter: Reporter,
  ) {}

  send(batch: WireBatch): void {
    try {
      this.pipeline.process(batch);
    } catch (err) {
      this.reporter.warn('storage', `storage failed: ${errorMessage(err)}`);
    }
  }

  flush(timeoutMs: number): Promise<boolean> {
    return this.guard(() => this.pipeline.storage.flush(timeoutMs), timeoutMs);
  }

  flushSync(): void {
    try {
      this.pipeline.storage.flushSync();
    } catch (err) {
      this.reporter.warn('storage', `storage failed: ${errorMessage(err)}`);
    }
  }

  shutdown(timeoutMs: number): Promise<boolean> {
    return this.guard(() => this.pipeline.storage.shutdown(timeoutMs), timeoutMs);
  }

  stats(): StorageStats {
    try {
      return this.pipeline.storage.stats();
    } catch {
      return { accepted: 0, delivered: 0, spooled: 0, failed: 0 };
    }
  }

  /** A user-supplied storage may throw, reject or never settle; the SDK must do none of these. */
  private async guard(run: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
    let pending: Promise<boolean>;
    try {
      pending = Promise.resolve(run());
    } catch (err) {
      this.reporter.warn('storage', `storage failed: ${errorMessage(err)}`);
      return false;
    }
    const settled = pending.catch((err: unknown) => {
      this.reporter.warn('storage', `storage failed: ${errorMessage(err)}`);
      return false;
    });
    return within(settled, timeoutMs);
  }
}
