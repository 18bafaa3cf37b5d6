import { type Attributes, type Context, context, type Span, trace } from '@opentelemetry/api';
import { parentContext } from '../runtime/registry.js';
import * as A from '../semconv.js';
import type { CapturePolicy } from './capture-policy.js';
import { localRoot } from './tracer.js';

/** Trace-level fields: they describe the whole trace (one agent run), whichever call sets them. */
export interface TraceFields {
  /** Trace name; defaults to the root span's name. */
  name?: string;
  sessionId?: string;
  userId?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  /** The trace's input/output when they should differ from the root call's own. */
  input?: unknown;
  output?: unknown;
}

export function hasTraceFields(fields: TraceFields): boolean {
  return (
    fields.name !== undefined ||
    fields.sessionId !== undefined ||
    fields.userId !== undefined ||
    (fields.tags !== undefined && fields.tags.length > 0) ||
    fields.metadata !== undefined ||
    fields.input !== undefined ||
    fields.output !== undefined
  );
}

/** The span trace-level fields belong on: the local root when it is ours and still open, else the given span. */
export function traceFieldTarget(ctx: Context, fallback: Span | undefined): Span | undefined {
  const root = localRoot(ctx);
  if (root?.isRecording()) return root;
  return fallback?.isRecording() ? fallback : undefined;
}

/** SDK spans expose their attributes; reading them lets repeated calls merge tags and metadata. */
function existing(span: Span, key: string): unknown {
  return (span as unknown as { attributes?: Attributes }).attributes?.[key];
}

export function applyTraceFields(span: Span, fields: TraceFields, capture: CapturePolicy): void {
  const a: Attributes = {};
  if (fields.name !== undefined) a[A.FLUXLOOP_TRACE_NAME] = fields.name;
  if (fields.sessionId !== undefined) {
    a[A.SESSION_ID] = fields.sessionId;
    a[A.GEN_AI_CONVERSATION_ID] = fields.sessionId;
  }
  if (fields.userId !== undefined) a[A.USER_ID] = fields.userId;
  if (fields.tags && fields.tags.length > 0) {
    const before = existing(span, A.FLUXLOOP_TRACE_TAGS);
    a[A.FLUXLOOP_TRACE_TAGS] = [...new Set([...(Array.isArray(before) ? before : []), ...fields.tags])];
  }
  if (fields.metadata !== undefined) {
    const before = existing(span, A.FLUXLOOP_TRACE_METADATA);
    let merged: Record<string, unknown> = fields.metadata;
    if (typeof before === 'string') {
      try {
        merged = { ...(JSON.parse(before) as Record<string, unknown>), ...fields.metadata };
      } catch {
        // An unparsable earlier value is replaced rather than merged.
      }
    }
    a[A.FLUXLOOP_TRACE_METADATA] = capture.data(merged);
  }
  if (fields.input !== undefined) {
    const text = capture.value(fields.input);
    if (text !== undefined) a[A.FLUXLOOP_TRACE_INPUT] = text;
  }
  if (fields.output !== undefined) {
    const text = capture.value(fields.output);
    if (text !== undefined) a[A.FLUXLOOP_TRACE_OUTPUT] = text;
  }
  span.setAttributes(a);
}

/** The context new observations belong to: the active one, or an integration's more specific one. */
export function currentContext(): Context {
  return parentContext(context.active());
}

/** The current context's span, if any. */
export function activeSpan(): Span | undefined {
  return trace.getSpan(currentContext());
}
