import { Worker } from 'node:worker_threads';
import { errorMessage, type Reporter } from '../diagnostics.js';
import type { StorageStats } from '../storage/types.js';
import { type ExportHost, InlineHost } from './host.js';
import { CONTROL, type FromWorker, type ToWorker, type WorkerData } from './messages.js';
import { createStorage, RecordPipeline, type StorageConfig } from './record-pipeline.js';
import type { WireBatch } from './wire.js';

/** How long a flush pending at failover may take on the main thread. */
const EXIT_FALLBACK_FLUSH_MS = 10_000;

export interface WorkerHostOptions {
  storage: StorageConfig;
  reporter: Reporter;
  /** The worker entry; defaults to export-worker.js beside this module in dist/. */
  workerUrl?: URL;
}

/**
 * Runs record building and storage on a worker thread, so the application's thread only pays for handing
 * spans over.
 *
 * Nothing sent is lost: batches are kept until the worker acknowledges them as durable. The worker is unref'd
 * while idle (it never keeps an application alive) and ref'd while batches are in flight (so a draining event
 * loop still waits for them). At `exit`, where no callback can run, flushSync() blocks on a shared-memory cell
 * until the worker has written everything; if the worker is dead or stuck, the main thread writes the batches
 * the worker never processed itself. If the worker fails, the host fails over to the main thread.
 */
export class WorkerHost implements ExportHost {
  private worker: Worker | undefined;
  private fallback: InlineHost | undefined;
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL.size * 4));
  private readonly unacked = new Map<number, WireBatch>();
  private readonly waiters = new Map<number, (result: { ok: boolean; stats: StorageStats }) => void>();
  private nextRequestId = 1;
  private inFlightSpans = 0;
  private lastStats: StorageStats = { accepted: 0, delivered: 0, spooled: 0, failed: 0 };
  private referenced = false;
  private stopped = false;

  constructor(private readonly options: WorkerHostOptions) {
    try {
      const data: WorkerData = { storage: options.storage, control: this.control.buffer as SharedArrayBuffer };
      const url = options.workerUrl ?? new URL('./export-worker.js', import.meta.url);
      const worker = new Worker(url, { workerData: data });
      worker.on('message', (message: FromWorker) => this.onMessage(message));
      worker.on('error', (err) => this.failover(`the export worker failed: ${errorMessage(err)}`));
      worker.on('exit', (code) => {
        if (!this.stopped) this.failover(`the export worker exited unexpectedly (code ${code})`);
      });
      // After the listeners: adding a 'message' listener refs the worker's port again.
      worker.unref();
      this.worker = worker;
    } catch (err) {
      this.failover(`could not start the export worker: ${errorMessage(err)}`);
    }
  }

  get inFlight(): number {
    return this.fallback ? this.fallback.inFlight : this.inFlightSpans;
  }

  send(batch: WireBatch): void {
    if (this.fallback || !this.worker) {
      this.inline().send(batch);
      return;
    }
    this.unacked.set(batch.seq, batch);
    this.inFlightSpans += batch.spans.length;
    this.setReferenced(true);
    this.post({ t: 'batch', batch });
  }

  async flush(timeoutMs: number): Promise<boolean> {
    if (this.fallback || !this.worker) return this.inline().flush(timeoutMs);
    return this.request('flush', timeoutMs);
  }

  flushSync(timeoutMs: number): void {
    if (this.fallback || !this.worker) {
      this.inline().flushSync();
      return;
    }
    const generation = Atomics.load(this.control, CONTROL.syncGeneration) + 1;
    this.post({ t: 'flush-sync', generation });
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.control, CONTROL.syncGeneration) < generation) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.control, CONTROL.syncGeneration, generation - 1, left);
    }
    if (Atomics.load(this.control, CONTROL.syncGeneration) >= generation) return;
    // The worker did not answer in time: failover() writes what it never processed from here.
    this.failover(`the export worker did not finish within ${timeoutMs} ms at exit`);
    this.inline().flushSync();
  }

  async shutdown(timeoutMs: number): Promise<boolean> {
    if (this.stopped) return true;
    let ok: boolean;
    if (this.fallback || !this.worker) ok = await this.inline().shutdown(timeoutMs);
    else ok = await this.request('shutdown', timeoutMs);
    this.stopped = true;
    await this.worker?.terminate();
    return ok;
  }

  stats(): StorageStats {
    if (this.fallback) {
      const inline = this.fallback.stats();
      return {
        accepted: this.lastStats.accepted + inline.accepted,
        delivered: this.lastStats.delivered + inline.delivered,
        spooled: this.lastStats.spooled + inline.spooled,
        failed: this.lastStats.failed + inline.failed,
      };
    }
    return { ...this.lastStats };
  }

  private onMessage(message: FromWorker): void {
    switch (message.t) {
      case 'ack': {
        if (this.unacked.delete(message.seq)) this.inFlightSpans -= message.spans;
        if (this.unacked.size === 0 && this.waiters.size === 0) this.setReferenced(false);
        break;
      }
      case 'done': {
        this.lastStats = message.stats;
        const waiter = this.waiters.get(message.id);
        this.waiters.delete(message.id);
        waiter?.({ ok: message.ok, stats: message.stats });
        if (this.unacked.size === 0 && this.waiters.size === 0) this.setReferenced(false);
        break;
      }
      case 'report':
        this.options.reporter.warn(message.key, message.message);
        break;
    }
  }

  private request(kind: 'flush' | 'shutdown', timeoutMs: number): Promise<boolean> {
    const id = this.nextRequestId++;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(false);
      }, timeoutMs + 100);
      timer.unref();
      this.waiters.set(id, ({ ok }) => {
        clearTimeout(timer);
        resolve(ok);
      });
      this.setReferenced(true);
      this.post({ t: kind, id, timeoutMs });
    });
  }

  private post(message: ToWorker): void {
    try {
      this.worker?.postMessage(message);
    } catch (err) {
      this.failover(`could not hand spans to the export worker: ${errorMessage(err)}`);
    }
  }

  private setReferenced(on: boolean): void {
    if (!this.worker || on === this.referenced) return;
    this.referenced = on;
    if (on) this.worker.ref();
    else this.worker.unref();
  }

  private inline(): InlineHost {
    if (!this.fallback) {
      const storage = createStorage(this.options.storage, this.options.reporter);
      this.fallback = new InlineHost(new RecordPipeline(storage, this.options.reporter), this.options.reporter);
    }
    return this.fallback;
  }

  /** Moves to the main thread, re-sending everything the worker had not made durable. */
  private failover(reason: string): void {
    if (this.fallback) return;
    this.options.reporter.warn('export-worker', `${reason}. Records are now written from the main thread.`);
    const inline = this.inline();
    const processed = Atomics.load(this.control, CONTROL.processedSeq);
    const worker = this.worker;
    this.worker = undefined;
    this.stopped = true;
    for (const batch of this.unacked.values()) if (batch.seq > processed) inline.send(batch);
    this.unacked.clear();
    this.inFlightSpans = 0;
    // Pending flush/shutdown requests are answered by the main-thread storage that now holds the records.
    const waiters = [...this.waiters.values()];
    this.waiters.clear();
    for (const waiter of waiters) {
      inline.flush(EXIT_FALLBACK_FLUSH_MS).then((ok) => waiter({ ok, stats: inline.stats() }));
    }
    worker?.terminate().catch(() => {});
  }
}
