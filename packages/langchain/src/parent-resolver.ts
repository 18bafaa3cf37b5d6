import { type ParentResolver, registerParentResolver } from '@fluxloop/sdk/instrumentation';
import { type Context, trace } from '@opentelemetry/api';
import type { RunTracker } from './run-tracker.js';

/** Where LangChain keeps the current run's config (global symbols, shared by every copy of @langchain/core). */
const ALS_KEY = Symbol.for('ls:tracing_async_local_storage');
const CHILD_CONFIG_KEY = Symbol.for('lc:child_config');

interface Store {
  extra?: Record<symbol, { callbacks?: { getParentRunId?: () => string | undefined } } | undefined>;
}

type HrTime = [number, number];
const startOf = (span: unknown): HrTime | undefined => (span as { startTime?: HrTime } | undefined)?.startTime;
const later = (a: HrTime, b: HrTime) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/**
 * LangChain runs a node's or a tool's code with the run's config in its own async-local storage, not inside
 * the OTel context of the span this handler started for the run (callbacks cannot change where the run's code
 * executes). This resolver lets FluxLoop wrappers, event() and updateTrace() called from that code find the
 * run's span: the current run id is the parent run id of the child config LangChain stored. The active OTel
 * span still wins when it started after the run did (a wrapper span opened inside the tool is more specific).
 * The tracker is held weakly, so a discarded handler is collected and its resolver removes itself.
 */
export function registerLangChainParent(tracker: RunTracker): void {
  const ref = new WeakRef(tracker);
  const resolver: ParentResolver = (active: Context) => {
    const runs = ref.deref();
    if (!runs) {
      unregister();
      return undefined;
    }
    const store = (globalThis as Record<symbol, { getStore(): Store | undefined } | undefined>)[ALS_KEY]?.getStore();
    const runId = store?.extra?.[CHILD_CONFIG_KEY]?.callbacks?.getParentRunId?.();
    if (!runId) return undefined;
    const run = runs.contextOf(runId);
    if (!run) return undefined;
    const activeStart = startOf(trace.getSpan(active));
    const runStart = startOf(run.span);
    if (activeStart && runStart && later(activeStart, runStart)) return undefined;
    return run.ctx;
  };
  const unregister = registerParentResolver(resolver);
}
