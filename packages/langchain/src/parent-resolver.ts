import { type ParentResolver, registerParentResolver } from '@fluxloop/sdk/instrumentation';
import type { Context } from '@opentelemetry/api';
import { RUN_KEY, type RunTracker } from './run-tracker.js';

/** Where LangChain keeps the current run's config (global symbols, shared by every copy of @langchain/core). */
const ALS_KEY = Symbol.for('ls:tracing_async_local_storage');
const CHILD_CONFIG_KEY = Symbol.for('lc:child_config');

interface Store {
  extra?: Record<symbol, { callbacks?: { getParentRunId?: () => string | undefined } } | undefined>;
}

/**
 * LangChain runs a node's or a tool's code with the run's config in its own async-local storage, not inside
 * the OTel context of the span this handler started for the run (callbacks cannot change where the run's code
 * executes). This resolver lets FluxLoop wrappers, event() and updateTrace() called from that code find the
 * run's span: the current run id is the parent run id of the child config LangChain stored. The active context
 * still wins when it already belongs to that run (a wrapper span opened inside the tool is more specific): run
 * contexts carry their run id, and so does every context derived from them.
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
    const ctx = runs.contextOf(runId);
    if (!ctx || active.getValue(RUN_KEY) === ctx.getValue(RUN_KEY)) return undefined;
    return ctx;
  };
  const unregister = registerParentResolver(resolver);
}
