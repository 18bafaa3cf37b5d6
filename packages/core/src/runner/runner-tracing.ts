import type { Reporter } from '@fluxloop/sdk';
import type { ActiveSdk } from '@fluxloop/sdk/instrumentation';
import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { UserError } from '../errors.js';
import type { CaptureSetting } from '../project/types.js';
import { RUNNER_SCOPE } from './root-span.js';
import type { SpanRouter } from './span-router.js';

/** Hands every span of this process to the router: the runner's only span processor. */
export class RunSpanProcessor implements SpanProcessor {
  constructor(private readonly router: SpanRouter) {}

  onStart(span: Span): void {
    this.router.started(span);
  }

  onEnd(span: ReadableSpan): void {
    this.router.ended(span);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface RunnerTracing {
  /** Starts the runs' root spans. */
  tracer: Tracer;
  /** The SDK's active configuration (capture policy) as the runner configured it. */
  sdk: ActiveSdk;
  /** The SDK's trace() wrapper (spans of replay providers). */
  traced<F extends (...args: unknown[]) => unknown>(fn: F, name: string, callable: string): F;
  /** Unregisters the provider and the SDK configuration. */
  shutdown(): Promise<void>;
}

export interface RunnerTracingOptions {
  serviceName: string;
  capture: CaptureSetting;
  router: SpanRouter;
  /** The SDK's own warnings (once per kind). */
  warn(message: string): void;
}

/**
 * Registers the global tracer provider (AsyncLocalStorage context manager, W3C propagation) with the runner's
 * processor, then configures @fluxloop/sdk with the project's capture mode. The SDK finds the provider already
 * registered and runs in drop-in mode, so an in-process agent's agent()/tool() wrappers and LangChain handlers
 * (any copy of the SDK in the process: they share one configuration slot) report to the runs. OpenTelemetry and
 * the SDK are imported here, only when an experiment runs.
 */
export async function startRunnerTracing(options: RunnerTracingOptions): Promise<RunnerTracing> {
  const [{ NodeTracerProvider }, { defaultResource, resourceFromAttributes }, sdkModule, instrumentation] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/resources'),
      import('@fluxloop/sdk'),
      import('@fluxloop/sdk/instrumentation'),
    ]);
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        'service.name': options.serviceName,
        'telemetry.distro.name': 'fluxloop',
        'telemetry.distro.version': instrumentation.SDK_VERSION,
      }),
    ),
    spanProcessors: [new RunSpanProcessor(options.router)],
  });
  provider.register();
  const registered = trace.getTracerProvider() as { getDelegate?: () => unknown };
  if (registered.getDelegate?.() !== provider) {
    await provider.shutdown();
    throw new UserError(
      'another OpenTelemetry tracer provider is already registered in this process, so the experiment runner ' +
        'cannot collect the runs; run the experiment in a process of its own (the fluxloop CLI)',
    );
  }
  // The SDK's drop-in check warns when no FluxLoopSpanProcessor sees its spans: here the runner's processor does.
  const reporter: Reporter = {
    warn: (key, message) => {
      if (key !== 'drop-in') options.warn(message);
    },
  };
  let client: InstanceType<typeof sdkModule.FluxLoopClient>;
  try {
    // recordArgs off: replaying a recording (or any run) must never append to the recordings.
    client = sdkModule.configure({ captureContent: options.capture, reporter, recordArgs: false });
  } catch (err) {
    unregister();
    await provider.shutdown();
    throw new UserError(`the environment's FluxLoop settings are invalid: ${(err as Error).message}`);
  }
  return {
    tracer: provider.getTracer(RUNNER_SCOPE, instrumentation.SDK_VERSION),
    sdk: instrumentation.activeSdk(),
    traced: (fn, name, callable) => sdkModule.trace(fn, { name, attributes: { 'fluxloop.replay.callable': callable } }),
    shutdown: async () => {
      await client.shutdown(1000);
      unregister();
      await provider.shutdown();
    },
  };
}

function unregister(): void {
  trace.disable();
  context.disable();
  propagation.disable();
}
