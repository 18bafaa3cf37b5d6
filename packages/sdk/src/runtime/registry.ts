import { type Context, type SpanContext, trace } from '@opentelemetry/api';
import type { Reporter } from '../diagnostics.js';
import type { CallRecorder } from '../recording/recorder.js';
import type { CapturePolicy } from '../tracing/capture-policy.js';

/**
 * The SDK's process-wide slot, kept on globalThis under a versioned Symbol.for key exactly as @opentelemetry/api
 * keeps its own globals. It has to be process-wide rather than module state: an application can load the SDK
 * twice (its ESM and its CJS build, or two versions), and every copy must share one configuration (so a
 * `captureContent: 'none'` set through one copy is honoured by the other) and one set of exit hooks.
 * Everything in it is reached through the functions below; nothing else in the SDK keeps mutable module state.
 */
const SLOT = Symbol.for('fluxloop.sdk.runtime.v1');

/** What wrappers need from the active configuration. Stable across SDK copies of the same major version. */
export interface ActiveSdk {
  readonly enabled: boolean;
  readonly capture: CapturePolicy;
  readonly recordArgs: boolean;
  readonly recordingFile: string;
  /** Appends recorded calls to recordingFile; set when recordArgs is on (an older SDK copy leaves it unset). */
  readonly recorder?: CallRecorder;
  /** The remote parent of traces started in this process (TRACEPARENT); an older SDK copy leaves it unset. */
  readonly envParent?: SpanContext;
  readonly reporter: Reporter;
  /** Also write payloads as OpenInference's input.value / output.value (for Langfuse, Phoenix). */
  readonly mirrorPayloads: boolean;
}

/** What the exit hooks and the global forceFlush() need from a live FluxLoopSpanProcessor. */
export interface LiveProcessor {
  /** Hands any batch still being filled to the export host. Returns true when something was sent. */
  sendPending(): boolean;
  flush(timeoutMs: number): Promise<boolean>;
  flushSync(timeoutMs: number): void;
}

export interface Runtime {
  active: ActiveSdk | undefined;
  /** Shuts down whatever the active configuration started (provider, processor). */
  deactivate: ((timeoutMs: number) => Promise<boolean>) | undefined;
  /** Flushes the active configuration's provider (FluxLoop records and OTLP export alike). */
  flushActive: ((timeoutMs: number) => Promise<boolean>) | undefined;
  readonly processors: Set<LiveProcessor>;
  hooksInstalled: boolean;
  /** Set while checking that an application-registered provider carries a FluxLoopSpanProcessor. */
  probe: { pending: boolean; seen: boolean };
  /** Integrations that know a more specific parent than the active OTel context (see parentContext()). */
  parentResolvers: Set<ParentResolver>;
}

/**
 * Given the active context, returns the context a new FluxLoop span should start under instead, or undefined
 * to keep the active one. A framework that runs user code outside the OTel context of its own spans (LangChain
 * calls its callbacks, not the run's code, with the span) registers one so that wrappers called inside its runs
 * nest under them.
 */
export type ParentResolver = (active: Context) => Context | undefined;

export function runtime(): Runtime {
  const g = globalThis as unknown as Record<symbol, Runtime | undefined>;
  let slot = g[SLOT];
  if (!slot) {
    slot = {
      active: undefined,
      deactivate: undefined,
      flushActive: undefined,
      processors: new Set(),
      hooksInstalled: false,
      probe: { pending: false, seen: false },
      parentResolvers: new Set(),
    };
    g[SLOT] = slot;
  }
  // A slot created by an older copy of this SDK in the same process lacks fields added since.
  slot.parentResolvers ??= new Set();
  return slot;
}

/** How long the `exit` hook may block to write what the process still holds. */
export const EXIT_FLUSH_TIMEOUT_MS = 5_000;

/**
 * One `beforeExit` and one `exit` listener per process, whatever the number of processors or SDK copies.
 * beforeExit: the event loop drained, so hand over batches still being filled; the export worker is ref'd while
 * they are in flight, which keeps the process alive until they are written, after which beforeExit fires again
 * with nothing left to send. exit (also after an explicit process.exit()): only synchronous work can run, so
 * each processor blocks until its records are written.
 */
export function registerProcessor(processor: LiveProcessor): void {
  const rt = runtime();
  rt.processors.add(processor);
  if (rt.hooksInstalled) return;
  rt.hooksInstalled = true;
  process.on('beforeExit', () => {
    for (const p of runtime().processors) p.sendPending();
  });
  process.on('exit', () => {
    for (const p of runtime().processors) p.flushSync(EXIT_FLUSH_TIMEOUT_MS);
  });
}

export function unregisterProcessor(processor: LiveProcessor): void {
  runtime().processors.delete(processor);
}

/** Registers a parent resolver; returns the function that removes it. */
export function registerParentResolver(resolver: ParentResolver): () => void {
  const resolvers = runtime().parentResolvers;
  resolvers.add(resolver);
  return () => resolvers.delete(resolver);
}

/** The context a new span starts under: the active one, unless a registered integration knows better. */
export function parentContext(active: Context): Context {
  const resolvers = runtime().parentResolvers;
  if (resolvers.size === 0) return active;
  for (const resolve of resolvers) {
    const ctx = resolve(active);
    if (ctx) return ctx;
  }
  return active;
}

/**
 * `ctx`, or, when it holds no span, ctx with the process's TRACEPARENT as remote parent: a trace started in a
 * process that was started inside one (a process target of an experiment) continues it.
 */
export function withEnvParent(sdk: ActiveSdk, ctx: Context): Context {
  if (!sdk.envParent || trace.getSpanContext(ctx)) return ctx;
  return trace.setSpanContext(ctx, sdk.envParent);
}
