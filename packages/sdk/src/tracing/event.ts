import type { ObservationLevel } from '@fluxloop/contract';
import type { Attributes } from '@opentelemetry/api';
import { errorMessage } from '../diagnostics.js';
import { activeSdk } from '../runtime/activate.js';
import * as A from '../semconv.js';
import type { CapturePolicy } from './capture-policy.js';
import { activeSpan, currentContext } from './trace-fields.js';
import { currentTracer } from './tracer.js';

export interface EventOptions {
  level?: ObservationLevel;
}

function eventAttributes(data: Record<string, unknown> | undefined, capture: CapturePolicy): Attributes {
  const out: Attributes = {};
  if (!data) return out;
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (typeof value === 'number' || typeof value === 'boolean') out[key] = value;
    else if (typeof value === 'string') out[key] = capture.text(value);
    else out[key] = capture.data(value);
  }
  return out;
}

/**
 * A point-in-time observation: a state transition, a decision, a custom marker.
 *
 * Inside a traced call it is an OpenTelemetry span event on the active span, which every OTel backend shows as a
 * log on that span and which FluxLoop turns into an `event` observation whose parent is that span. With no
 * active span it is a zero-duration span of type `event`, a trace of its own. Strings are redacted like error
 * messages; objects are stored as JSON text.
 */
export function event(name: string, attributes?: Record<string, unknown>, options: EventOptions = {}): void {
  const sdk = activeSdk();
  if (!sdk.enabled) return;
  try {
    const attrs = eventAttributes(attributes, sdk.capture);
    if (options.level) attrs[A.FLUXLOOP_LEVEL] = options.level;
    const span = activeSpan();
    if (span?.isRecording()) {
      span.addEvent(name, attrs);
      return;
    }
    currentTracer()
      .startSpan(name, { attributes: { ...attrs, [A.FLUXLOOP_OBSERVATION_TYPE]: 'event' } }, currentContext())
      .end();
  } catch (err) {
    sdk.reporter.warn('tracing', `event() failed and was skipped: ${errorMessage(err)}`);
  }
}
