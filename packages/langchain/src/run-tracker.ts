import { attributes as A, type ActiveSdk, setPayload, withEnvParent } from '@fluxloop/sdk/instrumentation';
import {
  type Attributes,
  type Context,
  context,
  createContextKey,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { normalize } from './messages.js';

export type RunKind = 'agent' | 'chain' | 'generation' | 'tool' | 'retriever';

/**
 * Marks a run's context with its run id. Contexts derived from it (a FluxLoop wrapper started inside the run's
 * code) carry the mark, which tells the parent resolver that the active context already belongs to the run.
 */
export const RUN_KEY = createContextKey('fluxloop.langchain.run');

/** A LangChain run that has a span. */
interface OpenRun {
  span: Span;
  /** Context whose active span is this run's: the parent context of its child runs. */
  ctx: Context;
  kind: RunKind;
  startedAt: number;
  sawToken: boolean;
  isGraph: boolean;
}

/** A run LangChain marks hidden: no span; its children attach to the nearest visible ancestor. */
interface HiddenRun {
  hidden: true;
  ctx: Context;
  parent: OpenRun | undefined;
}

type Entry = OpenRun | HiddenRun;

export interface StartRun {
  runId: string;
  parentRunId: string | undefined;
  name: string;
  kind: RunKind;
  attributes: Attributes;
  /** Content captured as the span's input (normalized and serialized under the capture mode). */
  input: unknown;
  /** Trace-level fields, set only when the run has no parent run. */
  conversationId?: string;
  /** LangGraph node name, when the run is a node: recorded as a transition on the graph's span. */
  node?: string;
  isGraph?: boolean;
}

/**
 * The run map: one OTel span per LangChain run, keyed by run id. Parents come from parentRunId (LangChain's
 * callbacks do not run in the run's own async context); a run with no known parent becomes a child of the OTel
 * span active when it started. Entries leave the map on end and on error; the map is bounded, and a run that
 * never ends is closed and forgotten once maxOpenRuns newer runs are open, so it cannot leak.
 */
export class RunTracker {
  private readonly runs = new Map<string, Entry>();
  /** Runs closed because the map was full (their span ends marked abandoned). */
  abandoned = 0;

  constructor(
    private readonly tracer: () => Tracer,
    private readonly maxOpenRuns: number,
  ) {}

  get size(): number {
    return this.runs.size;
  }

  startHidden(runId: string, parentRunId: string | undefined): void {
    const { ctx, parent } = this.parentOf(parentRunId);
    this.remember(runId, { hidden: true, ctx, parent });
  }

  start(sdk: ActiveSdk, run: StartRun): void {
    const found = this.parentOf(run.parentRunId);
    const parent = found.parent;
    const parentCtx = parent ? found.ctx : withEnvParent(sdk, found.ctx);
    const attributes = run.attributes;
    attributes[A.FLUXLOOP_OBSERVATION_TYPE] = run.kind;
    const span = this.tracer().startSpan(
      run.name,
      { kind: run.kind === 'generation' ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes },
      parentCtx,
    );
    if (!span.isRecording()) {
      this.remember(run.runId, {
        span,
        ctx: trace.setSpan(parentCtx, span),
        kind: run.kind,
        startedAt: 0,
        sawToken: true,
        isGraph: false,
      });
      return;
    }
    capturePayload(span, sdk, 'input', run.input);
    if (!parent && run.conversationId) {
      span.setAttribute(A.SESSION_ID, run.conversationId);
      span.setAttribute(A.GEN_AI_CONVERSATION_ID, run.conversationId);
    }
    if (run.node && parent?.isGraph) {
      parent.span.addEvent('state.transition', {
        'langgraph.node': run.node,
        ...pick(attributes, ['langgraph.step', 'langgraph.triggers']),
      });
    }
    this.remember(run.runId, {
      span,
      ctx: trace.setSpan(parentCtx, span).setValue(RUN_KEY, run.runId),
      kind: run.kind,
      startedAt: performance.now(),
      sawToken: false,
      isGraph: run.isGraph === true,
    });
  }

  /** A streamed token: the first one sets time to first chunk on model calls. */
  token(runId: string): void {
    const run = this.open(runId);
    if (!run || run.sawToken) return;
    run.sawToken = true;
    if (run.kind === 'generation') {
      const seconds = (performance.now() - run.startedAt) / 1000;
      run.span.setAttribute(A.GEN_AI_TIME_TO_FIRST_CHUNK, Math.round(seconds * 1e6) / 1e6);
    }
  }

  event(runId: string, name: string, attributes: Attributes): void {
    this.open(runId)?.span.addEvent(name, attributes);
  }

  end(sdk: ActiveSdk, runId: string, output: unknown, attributes?: Attributes): void {
    const entry = this.take(runId);
    if (!entry || 'hidden' in entry) return;
    if (attributes) entry.span.setAttributes(attributes);
    capturePayload(entry.span, sdk, 'output', output);
    entry.span.end();
  }

  /** A failure ends the run's span with error status; LangGraph's interrupts end it as an event, not an error. */
  fail(sdk: ActiveSdk, runId: string, error: unknown, controlFlow: boolean): void {
    const entry = this.take(runId);
    if (!entry || 'hidden' in entry) return;
    const span = entry.span;
    const err = error instanceof Error ? error : undefined;
    const type = err?.name || (typeof error === 'object' ? 'Error' : typeof error);
    if (controlFlow) {
      const interrupts = (error as { interrupts?: unknown }).interrupts;
      span.addEvent('langgraph.interrupt', {
        'langgraph.interrupt.type': type,
        ...interruptValue(sdk, interrupts),
      });
    } else {
      const message = sdk.capture.text(err ? err.message : String(error));
      span.addEvent(A.EXCEPTION_EVENT, {
        [A.EXCEPTION_TYPE]: type,
        [A.EXCEPTION_MESSAGE]: message,
        ...(err?.stack ? { 'exception.stacktrace': sdk.capture.text(err.stack) } : {}),
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${type}: ${message}` });
      span.setAttribute(A.FLUXLOOP_LEVEL, 'error');
    }
    span.end();
  }

  /** The context a run's children start under, if the run is open here. */
  contextOf(runId: string): Context | undefined {
    return this.runs.get(runId)?.ctx;
  }

  private open(runId: string): OpenRun | undefined {
    const entry = this.runs.get(runId);
    return entry && !('hidden' in entry) ? entry : undefined;
  }

  private take(runId: string): Entry | undefined {
    const entry = this.runs.get(runId);
    if (entry) this.runs.delete(runId);
    return entry;
  }

  private parentOf(parentRunId: string | undefined): { ctx: Context; parent: OpenRun | undefined } {
    const entry = parentRunId === undefined ? undefined : this.runs.get(parentRunId);
    if (!entry) return { ctx: context.active(), parent: undefined };
    if ('hidden' in entry) return { ctx: entry.ctx, parent: entry.parent };
    return { ctx: entry.ctx, parent: entry };
  }

  private remember(runId: string, entry: Entry): void {
    if (this.runs.size >= this.maxOpenRuns) {
      const [oldestId, oldest] = this.runs.entries().next().value as [string, Entry];
      this.runs.delete(oldestId);
      if (!('hidden' in oldest)) {
        oldest.span.setAttribute('fluxloop.run.abandoned', true);
        oldest.span.end();
      }
      this.abandoned++;
    }
    this.runs.set(runId, entry);
  }
}

/** Strings are kept as plain text; anything else (messages normalized first) as JSON text. */
function capturePayload(span: Span, sdk: ActiveSdk, which: 'input' | 'output', value: unknown): void {
  if (value === undefined || !sdk.capture.capturesContent) return;
  if (typeof value === 'string') {
    const text = sdk.capture.plain(value);
    if (text !== undefined) setPayload(span, sdk, which, { text });
    return;
  }
  const json = sdk.capture.value(normalize(value));
  if (json !== undefined) setPayload(span, sdk, which, { json });
}

function pick(attributes: Attributes, keys: string[]): Attributes {
  const out: Attributes = {};
  for (const key of keys) if (attributes[key] !== undefined) out[key] = attributes[key];
  return out;
}

/** The interrupt's payload is content (it is also part of the graph's output): none in `none` mode. */
function interruptValue(sdk: ActiveSdk, interrupts: unknown): Attributes {
  if (interrupts === undefined) return {};
  const json = sdk.capture.value(interrupts);
  return json === undefined ? {} : { 'langgraph.interrupt.value': json };
}
