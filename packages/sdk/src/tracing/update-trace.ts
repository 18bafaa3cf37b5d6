import { trace } from '@opentelemetry/api';
import { errorMessage } from '../diagnostics.js';
import { activeSdk } from '../runtime/activate.js';
import { applyTraceFields, currentContext, type TraceFields, traceFieldTarget } from './trace-fields.js';

/**
 * Sets trace-level fields (session, user, tags, metadata, name, trace input/output) from anywhere inside a traced
 * call. They go on the span that started the trace in this process when it is ours and still open, otherwise on
 * the active span; the projection gathers them from every span of the trace. Tags and metadata merge with
 * earlier calls. Outside any traced call it does nothing.
 */
export function updateTrace(fields: TraceFields): void {
  const sdk = activeSdk();
  if (!sdk.enabled) return;
  try {
    const ctx = currentContext();
    const target = traceFieldTarget(ctx, trace.getSpan(ctx));
    if (target) applyTraceFields(target, fields, sdk.capture);
  } catch (err) {
    sdk.reporter.warn('tracing', `updateTrace() failed and was skipped: ${errorMessage(err)}`);
  }
}
