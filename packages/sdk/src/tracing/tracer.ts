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
let cachedProvider: TracerProvider | undefined;
let cachedDelegate: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

export function currentTracer(): Tracer {
  const provider = trace.getTracerProvider();
  const delegate = (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider;
  if (provider !== cachedProvider || delegate !== cachedDelegate || !cachedTracer) {
    cachedProvider = provider;
    cachedDelegate = delegate;
    cachedTracer = provider.getTracer(SDK_SCOPE_NAME, SDK_VERSION);
  }
  return cachedTracer;
}

/** True when an OpenTelemetry tracer provider has been registered globally (by anyone, in any API copy). */
export function hasGlobalProvider(): boolean {
  const provider = trace.getTracerProvider() as { getDelegateTracer?: (name: string) => Tracer | undefined };
  if (typeof provider.getDelegateTracer !== 'function') return true;
  return provider.getDelegateTracer(SDK_SCOPE_NAME) !== undefined;
}
