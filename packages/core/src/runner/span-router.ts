import {
  encodeObservation,
  encodeTrace,
  type SpanSnapshot,
  TraceAssembler,
  type TraceDraft,
} from '@fluxloop/sdk/projection';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { hrTimeNow, snapshotOf, unfinishedSnapshotOf } from './span-snapshot.js';

/** Where a run's records go once they are final: encoded JSON lines, in the order they must be written. */
export interface RecordSink {
  observations(lines: string[]): void;
  trace(line: string): void;
}

export interface RouterStats {
  /** Spans of traces that are not (or no longer) runs of this experiment: dropped. */
  droppedSpans: number;
  /** Of those, spans that arrived after their run had finished (timed out, interrupted, or late remote spans). */
  lateSpans: number;
  /** Spans of attempts that failed and were retried: the last attempt is what the artifacts keep. */
  discardedSpans: number;
  /** Spans still open when their run ended, written as ended then with an `unfinished:` error status. */
  unfinishedSpans: number;
}

/** One run attempt's trace while it is being recorded. Nothing of it outlives finalize(). */
class RunTrace {
  readonly assembler = new TraceAssembler({ maxOpenTraces: 1 });
  /** Spans of this process that started and have not ended yet (live SDK spans, read only). */
  readonly open = new Map<string, ReadableSpan>();
  root: SpanSnapshot | undefined;
  lastActivity = performance.now();
  observations = 0;

  constructor(
    readonly rootSpanId: string,
    /** Lines held back while the attempt may still be discarded (a retry may follow); undefined: written at once. */
    readonly buffer: string[] | undefined,
  ) {}
}

/** How many finished trace ids are remembered, so that a late span can be told from a stranger's. */
const REMEMBERED_FINISHED = 4096;

/**
 * Routes spans to the run whose trace they belong to and projects them into records with that run's own
 * TraceAssembler (the SDK's one projection). Each run yields exactly one trace record: its root span is held back
 * until the orchestrator finalizes the run, and any other span of the run counts as a child even when its parent
 * is remote (a subprocess's top span has the runner's root as remote parent) or missing.
 */
export class SpanRouter {
  private readonly runs = new Map<string, RunTrace>();
  private readonly finished = new Set<string>();
  private sink: RecordSink | undefined;
  private readonly counts: RouterStats = { droppedSpans: 0, lateSpans: 0, discardedSpans: 0, unfinishedSpans: 0 };

  /** Records go to `sink` from now on; spans of runs only exist after this is called. */
  connect(sink: RecordSink): void {
    this.sink = sink;
  }

  /** A run attempt's root span has started: spans of its trace are recorded from now on. */
  open(traceId: string, rootSpanId: string, options: { buffered: boolean }): void {
    this.runs.set(traceId, new RunTrace(rootSpanId, options.buffered ? [] : undefined));
  }

  /** SpanProcessor.onStart of the runner's provider. */
  started(span: ReadableSpan): void {
    const context = span.spanContext();
    const run = this.runs.get(context.traceId);
    if (run && context.spanId !== run.rootSpanId) run.open.set(context.spanId, span);
  }

  /** SpanProcessor.onEnd of the runner's provider. */
  ended(span: ReadableSpan): void {
    const { traceId, spanId } = span.spanContext();
    const run = this.runs.get(traceId);
    if (!run) {
      this.drop(traceId);
      return;
    }
    run.lastActivity = performance.now();
    if (spanId === run.rootSpanId) {
      run.root = snapshotOf(span);
      return;
    }
    run.open.delete(spanId);
    this.project(run, snapshotOf(span));
  }

  /** Spans from the OTLP receiver (HTTP and process targets). */
  readonly received = (spans: SpanSnapshot[]): void => {
    const now = performance.now();
    for (const span of spans) {
      const run = this.runs.get(span.traceId);
      if (!run || span.spanId === run.rootSpanId) {
        this.drop(span.traceId);
        continue;
      }
      run.lastActivity = now;
      this.project(run, span);
    }
  };

  /** When the run's trace last received a span (performance.now()), or undefined once it is finalized. */
  lastActivity(traceId: string): number | undefined {
    return this.runs.get(traceId)?.lastActivity;
  }

  /**
   * Ends the run's recording: spans still open are written as unfinished (with `unfinishedReason`), then the root,
   * which completes the trace record, returned. `keep: false` discards the attempt instead (a retry follows).
   * Spans of the trace that arrive later are dropped and counted.
   */
  finalize(traceId: string, options: { keep: boolean; unfinishedReason: string }): TraceDraft | undefined {
    const run = this.runs.get(traceId);
    if (!run) return undefined;
    this.runs.delete(traceId);
    this.remember(traceId);
    if (!options.keep) {
      this.counts.discardedSpans += run.observations + run.open.size + (run.root ? 1 : 0);
      return undefined;
    }
    if (run.open.size > 0) {
      const end = hrTimeNow();
      for (const span of run.open.values())
        this.project(run, unfinishedSnapshotOf(span, options.unfinishedReason, end));
      this.counts.unfinishedSpans += run.open.size;
      run.open.clear();
    }
    if (run.buffer) this.sink?.observations(run.buffer);
    if (!run.root) return undefined;
    const projected = run.assembler.add(run.root);
    this.sink?.observations(projected.observations.map(encodeObservation));
    if (projected.trace) this.sink?.trace(encodeTrace(projected.trace));
    return projected.trace;
  }

  stats(): RouterStats {
    return { ...this.counts };
  }

  private project(run: RunTrace, span: SpanSnapshot): void {
    // A run has one root, the runner's: every other span of its trace is a child, whatever its parent says.
    const child =
      span.parentSpanId && !span.parentIsRemote
        ? span
        : { ...span, parentSpanId: span.parentSpanId || run.rootSpanId, parentIsRemote: false };
    const { observations } = run.assembler.add(child);
    run.observations += observations.length;
    const lines = observations.map(encodeObservation);
    if (run.buffer) run.buffer.push(...lines);
    else this.sink?.observations(lines);
  }

  private drop(traceId: string): void {
    this.counts.droppedSpans++;
    if (this.finished.has(traceId)) this.counts.lateSpans++;
  }

  private remember(traceId: string): void {
    this.finished.add(traceId);
    if (this.finished.size > REMEMBERED_FINISHED) {
      const oldest = this.finished.values().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }
}
