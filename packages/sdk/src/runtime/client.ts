import { trace } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { ParentBasedSampler, type SpanProcessor, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Redactor } from '../capture/redaction.js';
import { readEnvironment } from '../config/env.js';
import { FluxLoopConfigError, resolveConfig } from '../config/resolve.js';
import type { FluxLoopOptions, ResolvedConfig } from '../config/types.js';
import { ConsoleReporter, type Reporter } from '../diagnostics.js';
import { FluxLoopSpanProcessor } from '../processor/span-processor.js';
import { FileCallRecorder } from '../recording/recorder.js';
import { SDK_SCOPE_NAME, SERVICE_NAME } from '../semconv.js';
import { within } from '../timeout.js';
import { CapturePolicy } from '../tracing/capture-policy.js';
import { hasGlobalProvider } from '../tracing/tracer.js';
import { SDK_VERSION } from '../version.js';
import { createOtlpProcessor } from './otlp.js';
import { type ActiveSdk, runtime } from './registry.js';

/** Options that only matter when FluxLoop builds the provider and storage itself. */
const STORAGE_OPTIONS: readonly (keyof FluxLoopOptions)[] = [
  'storage',
  'outputDir',
  'collectorUrl',
  'apiKey',
  'spoolDir',
  'sampleRate',
  'serviceName',
  'resourceAttributes',
  'otlp',
  'batch',
  'exportThread',
];

export interface ClientInternals {
  /** Zero-config: configuration problems are reported instead of thrown. */
  lenient?: boolean;
}

/**
 * The FluxLoop configuration of this process. Constructing one makes it the active configuration (as in the
 * Python SDK: `client = FluxLoopClient(storage="file")`); configure() is the same thing as a function.
 *
 * When no OpenTelemetry tracer provider is registered yet, it registers one (AsyncLocalStorage context manager,
 * W3C propagation) that carries a FluxLoopSpanProcessor. When the application registered its own, FluxLoop uses
 * it and expects a FluxLoopSpanProcessor among its processors (checked on the first traced call).
 * A client replaced by a newer one, or shut down, flushes what it holds and unregisters its provider.
 */
export class FluxLoopClient {
  readonly config: ResolvedConfig;
  readonly reporter: Reporter;
  /** The processor FluxLoop registered; undefined in drop-in mode and when disabled. */
  readonly processor: FluxLoopSpanProcessor | undefined;
  private readonly provider: NodeTracerProvider | undefined;
  /** OTLP export beside FluxLoop records, when configured. */
  private readonly otlp: SpanProcessor | undefined;
  private readonly sdk: ActiveSdk;
  private readonly deactivate = (timeoutMs: number) => this.shutdown(timeoutMs);
  private closed = false;

  constructor(options: FluxLoopOptions = {}, internals: ClientInternals = {}) {
    const { config, problems } = resolveConfig(options, readEnvironment());
    this.reporter = options.reporter ?? new ConsoleReporter();
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0 && !internals.lenient) throw new FluxLoopConfigError(errors);
    for (const p of problems) {
      const fallback = p.severity === 'error' ? ' (using the default instead)' : '';
      this.reporter.warn(`config:${p.where}`, `configuration: ${p.where}: ${p.message}${fallback}`);
    }
    this.config = config;

    const rt = runtime();
    const previous = rt.deactivate;
    rt.deactivate = undefined;
    if (previous) void previous(this.config.batch.exportTimeoutMillis);

    this.sdk = {
      enabled: config.enabled,
      capture: new CapturePolicy(config.captureContent, config.maxPayloadChars, config.redactionRules),
      recordArgs: config.recordArgs,
      recordingFile: config.recordingFile,
      // Recordings are redacted whatever the capture mode: they are files people commit and share.
      ...(config.enabled && config.recordArgs
        ? {
            recorder: new FileCallRecorder(
              config.recordingFile,
              Redactor.withExtraRules(config.redactionRules),
              this.reporter,
            ),
          }
        : {}),
      ...(config.envParent ? { envParent: { ...config.envParent, isRemote: true } } : {}),
      reporter: this.reporter,
      mirrorPayloads: config.mirrorPayloads,
    };
    if (config.enabled && !hasGlobalProvider()) {
      this.processor = new FluxLoopSpanProcessor({}, { config, reporter: this.reporter, applySampleRate: false });
      this.otlp = config.otlp ? createOtlpProcessor(config.otlp, config.batch.scheduledDelayMillis) : undefined;
      this.provider = new NodeTracerProvider({
        resource: defaultResource().merge(
          resourceFromAttributes({
            ...config.resourceAttributes,
            ...(config.serviceName ? { [SERVICE_NAME]: config.serviceName } : {}),
            // OTel's resource conventions for a distribution of the SDK: backends show which one sent the spans.
            'telemetry.distro.name': 'fluxloop',
            'telemetry.distro.version': SDK_VERSION,
          }),
        ),
        // At rate 1 the SDK's default (parent-based, always on) avoids a ratio computation per span.
        ...(config.sampleRate < 1
          ? { sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRate) }) }
          : {}),
        spanProcessors: [this.processor, ...(this.otlp ? [this.otlp] : [])],
      });
      this.provider.register();
    } else if (config.enabled) {
      rt.probe = { pending: true, seen: false };
      const ignored = STORAGE_OPTIONS.filter((k) => options[k] !== undefined);
      if (ignored.length > 0) {
        this.reporter.warn(
          'drop-in-options',
          `options ${ignored.join(', ')} have no effect: the application registered its own tracer provider, ` +
            'so pass them to the FluxLoopSpanProcessor you add to it.',
        );
      }
    }
    rt.active = this.sdk;
    rt.deactivate = this.deactivate;
    rt.flushActive = (timeoutMs) => this.forceFlush(timeoutMs);
  }

  /** Delivers every span ended so far (FluxLoop records and any other processor of our provider). */
  async forceFlush(timeoutMs: number = this.config.batch.exportTimeoutMillis): Promise<boolean> {
    // Each processor is flushed directly, under the caller's timeout. provider.forceFlush() would flush them
    // with their own 30 s defaults and hold timers that long even after the caller has given up.
    const [records, otlp] = await Promise.all([
      this.processor ? this.processor.flush(timeoutMs) : Promise.resolve(true),
      this.otlp ? within(this.otlp.forceFlush(), timeoutMs) : Promise.resolve(true),
    ]);
    if (!otlp) this.reporter.warn('otlp-flush', `OTLP export did not finish flushing within ${timeoutMs} ms`);
    return records && otlp;
  }

  /**
   * Flushes, stops the export worker and unregisters the provider FluxLoop registered, all within timeoutMs.
   * Idempotent. When this is the active configuration, wrappers pass through untraced afterwards, until
   * configure() is called again.
   */
  async shutdown(timeoutMs: number = this.config.batch.exportTimeoutMillis): Promise<boolean> {
    if (this.closed) return true;
    this.closed = true;
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(0, deadline - Date.now());
    const rt = runtime();
    if (rt.deactivate === this.deactivate) {
      rt.deactivate = undefined;
      rt.flushActive = undefined;
      rt.active = { ...this.sdk, enabled: false };
    }
    if (this.provider && hasOwnRegistration(this.provider)) trace.disable();
    const flushed = await this.forceFlush(timeoutMs);
    const [records, otlp] = await Promise.all([
      this.processor ? this.processor.close(left()) : Promise.resolve(true),
      this.otlp ? within(this.otlp.shutdown(), left()) : Promise.resolve(true),
    ]);
    if (!records || !otlp) this.reporter.warn('shutdown', `shutdown did not finish within ${timeoutMs} ms`);
    // Both processors are closed by now, so the provider's own shutdown has nothing left to wait for.
    this.provider?.shutdown().catch(() => {});
    return flushed && records && otlp;
  }
}

/** True when the globally registered provider is still this one (the app may have replaced it since). */
function hasOwnRegistration(provider: NodeTracerProvider): boolean {
  const global = trace.getTracerProvider() as { getDelegate?: () => unknown };
  return global.getDelegate?.() === provider;
}

/** configure(options): make a FluxLoopClient with these options the active configuration. */
export function configure(options: FluxLoopOptions = {}): FluxLoopClient {
  return new FluxLoopClient(options);
}

/** Scope name of spans the SDK creates, for filters in other processors. */
export const FLUXLOOP_SCOPE = SDK_SCOPE_NAME;
