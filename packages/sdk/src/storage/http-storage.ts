import { errorMessage, type Reporter } from '../diagnostics.js';
import { within } from '../timeout.js';
import { BatchBuilder, type RequestBatch } from './http-batch.js';
import { FlushWaiters, HttpReports } from './http-reports.js';
import { resendSpool } from './http-resend.js';
import { type Outcome, Transport } from './http-transport.js';
import { Spool } from './spool.js';
import type { EncodedBatch, RecordStorage, StorageStats } from './types.js';

export interface HttpStorageOptions {
  /** Base URL; records go to `${collectorUrl}/v1/fluxloop/records`. */
  collectorUrl: string;
  /** Sent as the batch's service_name: the collector files the records under it. */
  serviceName?: string;
  /** Sent as `Authorization: Bearer`; never written to reports or files. */
  apiKey?: string;
  /** Where undeliverable batches wait (created on first use); share it between processes of one app. */
  spoolDir: string;
  reporter: Reporter;
  /** Default 1000. */
  maxBatchRecords?: number;
  /** Request body size limit; default 4 MiB (a single larger record still goes, alone). */
  maxBatchBytes?: number;
  /** Default 10000. */
  requestTimeoutMs?: number;
  /** Attempts per batch before it is spooled; default 5. */
  maxAttempts?: number;
  /** Full-jitter backoff bounds; defaults 200 and 10000. Retry-After overrides them. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Sealed batches held in memory before the oldest spill to the spool; default 64. */
  maxPendingBatches?: number;
  /** How often the spool is retried while it holds anything; default 5000. */
  resendIntervalMs?: number;
  /** For tests only; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface HttpStorageStats extends StorageStats {
  /** Sealed batches waiting in memory for their turn (bounded by maxPendingBatches). */
  pendingBatches: number;
  /** Records held in memory: the open batch, the waiting ones and the one in flight. */
  pendingRecords: number;
  inFlight: boolean;
  /** Spool lines (batches, from any process) delivered by this instance. */
  resentBatches: number;
  /** Records the collector refused (4xx), written to a rejected-*.jsonl file; also counted in `failed`. */
  deadLettered: number;
}

/**
 * Posts records to the FluxLoop collector, one request at a time, spooling to disk what cannot be
 * delivered and re-sending it when the collector answers again.
 *
 * Everything runs on one async loop (`run`): live batches first, spool files when nothing live waits, one
 * live batch between spool lines while a file is re-sent. A single request in flight keeps memory bounded
 * (the queue spills to the spool past maxPendingBatches) and avoids hammering a collector that is down.
 */
export class HttpStorage implements RecordStorage {
  readonly kind = 'http';
  private readonly reports: HttpReports;
  private readonly builder: BatchBuilder;
  private readonly transport: Transport;
  private readonly spool: Spool;
  private readonly maxPendingBatches: number;
  private readonly resendIntervalMs: number;
  private readonly queue: RequestBatch[] = [];
  private current: RequestBatch | undefined;
  private readonly counts = { accepted: 0, delivered: 0, spooled: 0, failed: 0, resentBatches: 0, deadLettered: 0 };
  private readonly waiters = new FlushWaiters();
  private active = false;
  private loop: Promise<void> = Promise.resolve();
  private kickScheduled = false;
  /** Re-send spool files at the next chance: set on start, by the timer, and after a delivery. */
  private resendWanted = true;
  /** Something is (or may be) in the spool: keeps the re-send timer running. */
  private spoolWaiting = false;
  /**
   * Set when a live batch used up its attempts against an unreachable collector. Live batches then go straight
   * to the spool, without attempts or backoff, until a re-send probe (one attempt, on the resend timer) gets
   * through: otherwise every batch would spend its whole backoff sequence in memory first, and above about a
   * thousand records a second the backlog would outgrow the queue. An outage costs disk, not memory.
   */
  private outage = false;
  private resendTimer: ReturnType<typeof setInterval> | undefined;
  private closing: Promise<boolean> | undefined;

  constructor(options: HttpStorageOptions) {
    this.builder = new BatchBuilder(
      options.maxBatchRecords ?? 1000,
      options.maxBatchBytes ?? 4 * 1024 * 1024,
      options.serviceName,
    );
    this.transport = new Transport({
      collectorUrl: options.collectorUrl,
      apiKey: options.apiKey,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      maxAttempts: Math.max(1, options.maxAttempts ?? 5),
      initialBackoffMs: options.initialBackoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 10_000,
      fetch: options.fetch ?? globalThis.fetch,
    });
    this.spool = new Spool(options.spoolDir);
    this.reports = new HttpReports(
      options.reporter,
      (text) => this.transport.redact(text),
      this.transport.safeEndpoint,
      this.spool.dir,
    );
    this.maxPendingBatches = Math.max(0, options.maxPendingBatches ?? 64);
    this.resendIntervalMs = options.resendIntervalMs ?? 5000;
    this.scheduleKick(); // re-sends what earlier (or crashed) processes left in the spool
  }

  append(batch: EncodedBatch): void {
    try {
      const records = batch.traces.length + batch.observations.length;
      if (records === 0) return;
      this.counts.accepted += records;
      const enqueue = (sealed: RequestBatch) => this.enqueue(sealed);
      for (const record of batch.traces) this.builder.add(record, 'trace', enqueue);
      for (const record of batch.observations) this.builder.add(record, 'observation', enqueue);
      // After shutdown nothing sends any more; the spool keeps the records for the next process.
      if (this.transport.stopped) this.flushSync();
      else this.scheduleKick();
    } catch (err) {
      this.reports.warn('http-storage:internal', `could not queue records for the collector: ${errorMessage(err)}`);
    }
  }

  flush(timeoutMs: number): Promise<boolean> {
    try {
      const open = this.builder.seal();
      if (open) this.enqueue(open);
      const target = this.builder.lastSeq;
      if (this.doneThrough(target)) return Promise.resolve(true);
      this.kick();
      return this.waiters.wait(target, timeoutMs);
    } catch {
      return Promise.resolve(false);
    }
  }

  flushSync(): void {
    try {
      const open = this.builder.seal();
      if (open) this.queue.push(open);
      // The batch in flight too: the collector may or may not have stored it, and its batch_id makes a
      // second delivery harmless, whereas dropping it could lose it.
      if (this.current && !this.current.settled) this.spoolBatch(this.current);
      for (let batch = this.queue.shift(); batch; batch = this.queue.shift()) this.spoolBatch(batch);
    } catch (err) {
      this.reports.warn('http-storage:internal', `could not spool pending records: ${errorMessage(err)}`);
    }
  }

  shutdown(timeoutMs: number): Promise<boolean> {
    this.closing ??= this.close(timeoutMs);
    return this.closing;
  }

  stats(): HttpStorageStats {
    const { accepted, delivered, spooled, failed, resentBatches, deadLettered } = this.counts;
    return {
      accepted,
      delivered,
      spooled,
      failed,
      pendingBatches: this.queue.length,
      pendingRecords: accepted - delivered - spooled - failed,
      inFlight: this.current !== undefined,
      resentBatches,
      deadLettered,
    };
  }

  /** True when everything ended up durable: delivered within the timeout, or spooled after it. */
  private async close(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const flushed = await this.flush(timeoutMs);
    // A re-send of what earlier processes spooled may be under way: let it finish within the time left, so a
    // short-lived process that finds the collector back up empties the spool instead of abandoning it midway.
    if (this.active && this.loop) await within(this.loop, deadline - Date.now());
    this.stopTimer();
    this.transport.stop();
    const failedBefore = this.counts.failed;
    this.flushSync(); // whatever the timeout cut short goes to disk for the next process
    await this.loop;
    return flushed || this.counts.failed === failedBefore;
  }

  private enqueue(batch: RequestBatch): void {
    this.queue.push(batch);
    // Past the bound the oldest waiting batch goes to disk: memory stays bounded while the collector is slow.
    while (this.queue.length > this.maxPendingBatches) this.spoolBatch(this.queue.shift()!);
  }

  /** Coalesces the appends of one tick into as few batches as fit. */
  private scheduleKick(): void {
    if (this.kickScheduled || this.active) return;
    this.kickScheduled = true;
    queueMicrotask(() => {
      this.kickScheduled = false;
      this.kick();
    });
  }

  private kick(): void {
    if (this.active || this.transport.stopped) return;
    this.active = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    try {
      while (!this.transport.stopped) {
        const live = this.nextLive();
        if (live && this.outage) this.spoolLive(live);
        else if (live) await this.sendLive(live);
        else if (this.resendWanted) {
          this.resendWanted = false;
          await this.resend();
        } else break;
      }
    } catch (err) {
      this.reports.warn('http-storage:internal', `delivery loop failed: ${errorMessage(err)}`);
    } finally {
      // Synchronous with the last check above, so an append can never slip in between and be left waiting.
      this.active = false;
    }
  }

  private nextLive(): RequestBatch | undefined {
    return this.queue.shift() ?? this.builder.seal();
  }

  private async sendLive(batch: RequestBatch): Promise<Outcome> {
    this.current = batch;
    const outcome = await this.transport.deliver(batch.body);
    this.current = undefined;
    switch (outcome.kind) {
      case 'delivered':
        this.outage = false;
        if (!batch.settled) this.counts.delivered += batch.records;
        batch.settled = true;
        // The collector answers: a good moment to re-send what an outage left in the spool.
        if (this.spoolWaiting) this.resendWanted = true;
        this.checkWaiters();
        break;
      case 'rejected':
        this.deadLetter(batch.body, outcome, batch);
        break;
      case 'unavailable':
        this.reports.unavailable(outcome.reason);
        this.outage = true;
        this.spoolBatch(batch);
        break;
      case 'unauthorized':
        this.reports.unauthorized(outcome.status);
        this.spoolBatch(batch);
        break;
      case 'aborted':
        this.spoolBatch(batch);
        break;
    }
    return outcome;
  }

  private async resend(): Promise<void> {
    const result = await resendSpool({
      spool: this.spool,
      transport: this.transport,
      sendOneLive: async () => {
        const live = this.nextLive();
        if (!live) return undefined;
        // During an outage the re-send's own first line is the probe; live batches wait in the spool.
        if (this.outage) {
          this.spoolLive(live);
          return undefined;
        }
        return (await this.sendLive(live)).kind;
      },
      resent: () => {
        this.outage = false;
        this.counts.resentBatches++;
      },
      rejected: (line, outcome) => this.deadLetter(line, outcome),
      unauthorized: (status) => this.reports.unauthorized(status),
      warn: (key, message) => this.reports.warn(key, message),
    });
    if (result === 'empty') {
      this.spoolWaiting = false;
      this.stopTimer();
    } else this.markSpoolWaiting();
  }

  private spoolLive(batch: RequestBatch): void {
    this.spoolBatch(batch);
    this.checkWaiters();
  }

  private spoolBatch(batch: RequestBatch): void {
    if (batch.settled) return;
    batch.settled = true;
    try {
      this.spool.append(batch.body);
      this.counts.spooled += batch.records;
      this.markSpoolWaiting();
    } catch (err) {
      this.counts.failed += batch.records;
      this.reports.warn(
        'http-storage:spool',
        `could not write the spool file ${this.spool.file}: ${errorMessage(err)}; ${batch.records} records were lost`,
      );
    }
    this.checkWaiters();
  }

  private deadLetter(body: string, outcome: { status: number; text: string }, batch?: RequestBatch): void {
    const what = batch ? `a batch of ${batch.records} records` : 'a spooled batch';
    let where: string;
    try {
      where = `it was written to ${this.spool.deadLetter(body, outcome.status, outcome.text)}`;
    } catch (err) {
      where = `writing it to ${this.spool.deadLetterFile} failed too (${errorMessage(err)}), so it is lost`;
    }
    if (batch && !batch.settled) {
      batch.settled = true;
      this.counts.failed += batch.records;
      this.counts.deadLettered += batch.records;
    }
    this.reports.rejected(outcome.status, outcome.text, what, where);
    this.checkWaiters();
  }

  private markSpoolWaiting(): void {
    this.spoolWaiting = true;
    if (this.resendTimer || this.transport.stopped) return;
    this.resendTimer = setInterval(() => {
      this.resendWanted = true;
      this.kick();
    }, this.resendIntervalMs);
    this.resendTimer.unref();
  }

  private stopTimer(): void {
    if (this.resendTimer) clearInterval(this.resendTimer);
    this.resendTimer = undefined;
  }

  /** True when every batch sealed up to `target` is settled (delivered, spooled, dead-lettered or lost). */
  private doneThrough(target: number): boolean {
    // The batch in flight is always older than every queued one, so the oldest outstanding seq is either.
    const oldest = this.current && !this.current.settled ? this.current.seq : this.queue[0]?.seq;
    return oldest === undefined || oldest > target;
  }

  private checkWaiters(): void {
    this.waiters.check((target) => this.doneThrough(target));
  }
}
