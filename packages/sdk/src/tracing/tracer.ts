import { type Context, createContextKey, type Span, type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import { SDK_SCOPE_NAME } from '../semconv.js';
import { SDK_VERSION } from '../version.js';

/**
 * The span that started this trace in this process. updateTrace() writes trace-level fields there. The key is
 * created with Symbol.for (createContextKey does that), so every SDK copy in the process reads the same key.
 */
export const LOCAL_ROOT_KEY = createContextKey('fluxloop.sdk.local_root');

export function localRoot(ctx: Context): Span | undefined {
  return ctx.getValue(LOCAL_ROOT_KEY) as Span | undefined;
}

/**
 * The tracer of whichever provider is registered globally right now. Wrappers look it up at call time, so spans
 * follow the provider even when it is replaced (a test, the experiment runner, the app registering its own);
 * the lookup is cached against the identity of the global provider and its delegate, so it costs two compares.
 */
class TracerCache {
  private provider: TracerProvider | undefined;
  private delegate: TracerProvider | undefined;
  private tracer: Tracer | undefined;

  constructor(
    private readonly scope: string,
    private readonly version: string,
  ) {}

  get(): Tracer {
    const provider = trace.getTracerProvider();
    const delegate = (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider;
    if (provider !== this.provider || delegate !== this.delegate || !this.tracer) {
      this.provider = provider;
      this.delegate = delegate;
      this.tracer = provider.getTracer(this.scope, this.version);
    }
    return this.tracer;
  }
}

const sdkTracer = new TracerCache(SDK_SCOPE_NAME, SDK_VERSION);

export function currentTracer(): Tracer {
  return sdkTracer.get();
}

/** A call-time tracer lookup for another instrumentation scope (the LangChain handler's). */
export function tracerFor(scope: string, version: string): () => Tracer {
  const cache = new TracerCache(scope, version);
  return () => cache.get();
}

/** True when an OpenTelemetry tracer provider has been registered globally (by anyone, in any API copy). */
export function hasGlobalProvider(): boolean {
  const provider = trace.getTracerProvider() as { getDelegateTracer?: (name: string) => Tracer | undefined };
  if (typeof provider.getDelegateTracer !== 'function') return true;
  return provider.getDelegateTracer(SDK_SCOPE_NAME) !== undefined;
}
