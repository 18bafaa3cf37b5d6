import { attributes as A, type ActiveSdk, setPayload } from '@fluxloop/sdk/instrumentation';
import { type Attributes, type Span, SpanStatusCode } from '@opentelemetry/api';

/** Instrumentation scope of the runner's root spans. */
export const RUNNER_SCOPE = '@fluxloop/core';

export interface RootFields {
  experimentId: string;
  experimentName: string;
  runId: string;
  iteration: number;
  attempt: number;
  persona: string | null;
  tags: readonly string[];
  /** The simulation's metadata with the input entry's own on top. */
  metadata: Record<string, unknown>;
  strategy: string | null;
}

/**
 * The attributes a run's root span starts with: the experiment fields the trace record carries (experiment_id,
 * iteration, persona, name, tags, metadata), read by the SDK's projection like any other trace-level field.
 */
export function rootAttributes(fields: RootFields, sdk: ActiveSdk): Attributes {
  const a: Attributes = {
    [A.FLUXLOOP_OBSERVATION_TYPE]: 'span',
    [A.FLUXLOOP_EXPERIMENT_ID]: fields.experimentId,
    [A.FLUXLOOP_EXPERIMENT_ITERATION]: fields.iteration,
    [A.FLUXLOOP_TRACE_NAME]: fields.experimentName,
    'fluxloop.experiment.run_id': fields.runId,
    'fluxloop.experiment.attempt': fields.attempt,
  };
  if (fields.persona !== null) a[A.FLUXLOOP_EXPERIMENT_PERSONA] = fields.persona;
  if (fields.strategy) a['fluxloop.experiment.strategy'] = fields.strategy;
  if (fields.tags.length > 0) a[A.FLUXLOOP_TRACE_TAGS] = [...fields.tags];
  if (Object.keys(fields.metadata).length > 0) a[A.FLUXLOOP_TRACE_METADATA] = sdk.capture.data(fields.metadata);
  return a;
}

/** A run's input or output on its root span, per the capture mode (nothing in `none` mode). */
export function setRunPayload(span: Span, sdk: ActiveSdk, which: 'input' | 'output', value: unknown): void {
  if (typeof value === 'string') {
    const text = sdk.capture.plain(value);
    if (text !== undefined) setPayload(span, sdk, which, { text });
    return;
  }
  const json = sdk.capture.value(value);
  if (json !== undefined) setPayload(span, sdk, which, { json });
}

export interface RunFailure {
  type: string;
  message: string;
  stack?: string;
}

/** `TypeError: message` for an Error, the value as text otherwise; redacted unless capture is `full`. */
export function errorText(error: unknown, sdk: ActiveSdk): RunFailure {
  if (error instanceof Error) {
    return {
      type: error.name || 'Error',
      message: sdk.capture.text(error.message),
      ...(error.stack ? { stack: sdk.capture.text(error.stack) } : {}),
    };
  }
  return { type: typeof error, message: sdk.capture.text(String(error)) };
}

/**
 * Ends the root with error status and an exception event, the shape the SDK's wrappers give a failed call, so the
 * trace record's `error` is `type: message`.
 */
export function failRoot(span: Span, failure: RunFailure): void {
  span.addEvent(A.EXCEPTION_EVENT, {
    [A.EXCEPTION_TYPE]: failure.type,
    [A.EXCEPTION_MESSAGE]: failure.message,
    ...(failure.stack ? { 'exception.stacktrace': failure.stack } : {}),
  });
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${failure.type}: ${failure.message}` });
  span.setAttribute(A.FLUXLOOP_LEVEL, 'error');
}
