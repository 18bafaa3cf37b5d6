import { type Context, ROOT_CONTEXT } from '@opentelemetry/api';
import {
  type ReadableSpan,
  SamplingDecision,
  type Span,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { readEnvironment } from '../config/env.js';
import { FluxLoopConfigError, resolveConfig } from '../config/resolve.js';
import type { FluxLoopOptions, ResolvedConfig } from '../config/types.js';
import { ConsoleReporter, errorMessage, type Reporter } from '../diagnostics.js';
import { type ExportHost, InlineHost } from '../pipeline/host.js';
import { createStorage, RecordPipeline, type StorageConfig } from '../pipeline/record-pipeline.js';
import { WireBatchBuilder } from '../pipeline/wire.js';
import { WorkerHost } from '../pipeline/worker-host.js';
import { type LiveProcessor, registerProcessor, runtime, unregisterProcessor } from '../runtime/registry.js';
import type { StorageStats } from '../storage/types.js';

export interface ProcessorStats {
  /** Spans dropped because the export queue was full. */
  dropped: number;
  /** Spans waiting in the current batch or in flight to storage. */
  queued: number;
  storage: StorageStats;
}

/** @internal How FluxLoopClient builds the processor it registers, from an already resolved config. */
export interface ProcessorInternals {
  config: ResolvedConfig;
  reporter: Reporter;
  /** False when the provider's own sampler already applies the sample rate. */
  applySampleRate: boolean;
}

/**
 * Turns ended spans into FluxLoop trace and observation records and stores them (JSONL files by default).
 *
 * Add it to any NodeTracerProvider next to the application's own processors (the drop-in), or let configure() /
 * zero-config register a provider that carries it. It never mutates the spans it is given. On the application's
 * thread it only copies each ended span into a batch; building records, serializing and writing happen on an
 * export worker thread. The queue is bounded (batch.maxQueueSize); spans beyond it are dropped and counted, and
 * the count is reported.
 */
export class FluxLoopSpanProcessor implements SpanProcessor, LiveProcessor {
  private readonly config: ResolvedConfig;
  private readonly reporter: Reporter;
  private readonly host: ExportHost;
  private readonly builder = new WireBatchBuilder();
  private readonly sampler: TraceIdRatioBasedSampler | undefined;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private closed = false;

  constructor(options: FluxLoopOptions = {}, internals?: ProcessorInternals) {
    if (internals) {
      this.config = internals.config;
      this.reporter = internals.reporter;
    } else {
      const { config, problems } = resolveConfig(options, readEnvironment());
      this.reporter = options.reporter ?? new ConsoleReporter();
      const errors = problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) throw new FluxLoopConfigError(errors);
      for (const p of problems) this.reporter.warn(`config:${p.where}`, `${p.where}: ${p.message}`);
      this.config = config;
    }
    const applySampleRate = internals ? internals.applySampleRate : true;
    this.sampler =
      applySampleRate && this.config.sampleRate < 1 ? new TraceIdRatioBasedSampler(this.config.sampleRate) : undefined;
    this.host = createHost(this.config, this.reporter);
    registerProcessor(this);
  }

  onStart(_span: Span, _parentContext: Context): void {
    const probe = runtime().probe;
    if (probe.pending) probe.seen = true;
  }

  onEnd(span: ReadableSpan): void {
    if (this.closed || !this.config.enabled) return;
    if (this.sampler && !this.sampled(span)) return;
    if (this.builder.size + this.host.inFlight >= this.config.batch.maxQueueSize) {
      this.dropped++;
      this.reporter.warn(
        'queue-full',
        `export queue full (${this.config.batch.maxQueueSize} spans): dropping spans until it drains. ` +
          'Raise batch.maxQueueSize (OTEL_BSP_MAX_QUEUE_SIZE); the final count is reported at shutdown.',
      );
      return;
    }
    try {
      this.builder.add(span);
    } catch (err) {
      this.reporter.warn('snapshot', `could not read an ended span: ${errorMessage(err)}`);
      return;
    }
    if (this.builder.size >= this.config.batch.maxExportBatchSize) this.sendPending();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.sendPending(), this.config.batch.scheduledDelayMillis);
      this.timer.unref();
    }
  }

  sendPending(): boolean {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.builder.size === 0) return false;
    this.host.send(this.builder.take(++this.seq));
    return true;
  }

  /** Resolves true when every span ended so far is stored, false when timeoutMs passed first. Never rejects. */
  flush(timeoutMs: number = this.config.batch.exportTimeoutMillis): Promise<boolean> {
    this.sendPending();
    return this.host.flush(timeoutMs);
  }

  async forceFlush(): Promise<void> {
    await this.flush();
  }

  flushSync(timeoutMs: number): void {
    this.sendPending();
    this.host.flushSync(timeoutMs);
    this.reportLosses();
  }

  async shutdown(timeoutMs: number = this.config.batch.exportTimeoutMillis): Promise<void> {
    await this.close(timeoutMs);
  }

  /** shutdown() that says whether everything was stored before timeoutMs. Idempotent; never rejects. */
  async close(timeoutMs: number = this.config.batch.exportTimeoutMillis): Promise<boolean> {
    if (this.closed) return true;
    this.sendPending();
    this.closed = true;
    unregisterProcessor(this);
    const ok = await this.host.shutdown(timeoutMs);
    this.reportLosses();
    return ok;
  }

  stats(): ProcessorStats {
    return { dropped: this.dropped, queued: this.builder.size + this.host.inFlight, storage: this.host.stats() };
  }

  private sampled(span: ReadableSpan): boolean {
    const { traceId } = span.spanContext();
    return this.sampler!.shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
  }

  private reportLosses(): void {
    const { failed } = this.host.stats();
    if (this.dropped > 0 || failed > 0) {
      this.reporter.warn(
        `losses:${this.dropped}:${failed}`,
        `${this.dropped} spans dropped (export queue full) and ${failed} records not stored (storage errors).`,
      );
    }
  }
}

function createHost(config: ResolvedConfig, reporter: Reporter): ExportHost {
  if (config.customStorage) return new InlineHost(new RecordPipeline(config.customStorage, reporter), reporter);
  const storage: StorageConfig = {
    kind: config.storage === 'custom' ? 'none' : config.storage,
    outputDir: config.outputDir,
    collectorUrl: config.collectorUrl,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.serviceName ? { serviceName: config.serviceName } : {}),
    spoolDir: config.spoolDir,
  };
  if (!config.exportThread)
    return new InlineHost(new RecordPipeline(createStorage(storage, reporter), reporter), reporter);
  return new WorkerHost({ storage, reporter });
}
