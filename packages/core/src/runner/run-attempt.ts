import { type ActiveSdk, LOCAL_ROOT_KEY } from '@fluxloop/sdk/instrumentation';
import type { TraceDraft } from '@fluxloop/sdk/projection';
import { context, ROOT_CONTEXT, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import type { InputEntry } from '../project/types.js';
import { errorText, failRoot, type RunFailure, rootAttributes, setRunPayload } from './root-span.js';
import type { ExperimentSettings } from './settings.js';
import type { SpanRouter } from './span-router.js';
import type { RunContext, Target } from './types.js';

/** One run of the experiment: an input entry in one iteration. */
export interface PlannedRun {
  runId: string;
  iteration: number;
  entryIndex: number;
  entry: InputEntry;
  /** When replaying: the recorded call this run replays. */
  recording?: { index: number; function: string; line: number; timestamp: string };
}

/** How the experiment tells runs in flight to stop (Ctrl-C). */
export interface StopState {
  /** True once a stop was requested: no new runs, no more retries. */
  readonly requested: boolean;
  /** Aborted when the grace period of runs in flight is over: they are recorded as interrupted. */
  readonly expired: AbortSignal;
}

export type AttemptStatus = 'success' | 'error' | 'timeout' | 'interrupted';

export type AttemptOutcome =
  | { status: 'success'; output: unknown }
  | { status: Exclude<AttemptStatus, 'success'>; failure: RunFailure };

export interface AttemptResult {
  outcome: AttemptOutcome;
  /** The run's trace record, when the attempt is kept (its last one, or a success). */
  trace: TraceDraft | undefined;
  /** Wall-clock time of the attempt, quiet period included. */
  durationMs: number;
}

export interface AttemptDeps {
  tracer: Tracer;
  sdk: ActiveSdk;
  router: SpanRouter;
  target: Target;
  settings: ExperimentSettings;
  experimentId: string;
  stop: StopState;
}

const UNFINISHED_REASON: Record<AttemptStatus, string> = {
  success: 'the run returned before this span ended',
  error: 'the run failed before this span ended',
  timeout: 'the run timed out',
  interrupted: 'the experiment was interrupted',
};

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The target's promise against the run's time limit and the end of the interrupt grace. Listeners are removed once
 * it settles: an experiment-wide signal must not collect one closure per run. A target that never settles is left
 * behind (an in-process function cannot be killed); its run's AbortSignal tells it to stop.
 */
function settle(work: Promise<unknown>, timeoutMs: number, expired: AbortSignal, sdk: ActiveSdk) {
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      expired.removeEventListener('abort', onExpired);
      resolve(outcome);
    };
    const seconds = timeoutMs / 1000;
    const timer = setTimeout(
      () =>
        finish({
          status: 'timeout',
          failure: { type: 'TimeoutError', message: `the run did not finish within ${seconds} s (timeout_seconds)` },
        }),
      timeoutMs,
    );
    const onExpired = () =>
      finish({
        status: 'interrupted',
        failure: { type: 'Interrupted', message: 'the experiment was interrupted before the run finished' },
      });
    if (expired.aborted) onExpired();
    else expired.addEventListener('abort', onExpired, { once: true });
    work.then(
      (output) => finish({ status: 'success', output }),
      (error: unknown) => finish({ status: 'error', failure: errorText(error, sdk) }),
    );
  });
}

/**
 * Remote targets export their spans after answering: the run is complete once its trace has had no new span for
 * quiet_period_ms (bounded by the run's time limit and the interrupt grace).
 */
async function waitQuiet(deps: AttemptDeps, traceId: string, answeredAt: number, deadline: number): Promise<void> {
  const quiet = deps.settings.runner.quiet_period_ms;
  for (;;) {
    const last = Math.max(answeredAt, deps.router.lastActivity(traceId) ?? answeredAt);
    const now = performance.now();
    const wait = Math.min(last + quiet, deadline) - now;
    if (wait <= 0 || deps.stop.expired.aborted) return;
    await sleep(wait, deps.stop.expired);
  }
}

/**
 * One attempt of a run: its root span (a new trace), the target called inside the root's context so the target's
 * spans are its children, the outcome recorded on the root, then the trace finalized by the router.
 */
export async function runAttempt(
  deps: AttemptDeps,
  run: PlannedRun,
  attempt: number,
  lastAttempt: boolean,
): Promise<AttemptResult> {
  const { sdk, settings, target } = deps;
  const started = performance.now();
  const persona = run.entry.persona ?? null;
  const root = deps.tracer.startSpan(
    target.description,
    {
      kind: SpanKind.INTERNAL,
      attributes: rootAttributes(
        {
          experimentId: deps.experimentId,
          experimentName: settings.name,
          runId: run.runId,
          iteration: run.iteration,
          attempt: attempt + 1,
          persona,
          tags: settings.tags,
          metadata: {
            ...settings.metadata,
            ...run.entry.metadata,
            ...(run.recording
              ? {
                  'replay.function': run.recording.function,
                  'replay.recording_line': run.recording.line,
                  'replay.recorded_at': run.recording.timestamp,
                }
              : {}),
          },
          strategy: run.entry.strategy ?? null,
        },
        sdk,
      ),
    },
    ROOT_CONTEXT,
  );
  const { traceId, spanId } = root.spanContext();
  deps.router.open(traceId, spanId, { buffered: !lastAttempt });
  setRunPayload(root, sdk, 'input', run.entry.input);
  const controller = new AbortController();
  const runContext: RunContext = {
    runId: run.runId,
    experimentId: deps.experimentId,
    iteration: run.iteration,
    entryIndex: run.entryIndex,
    entry: run.entry,
    persona,
    traceparent: `00-${traceId}-${spanId}-01`,
    signal: controller.signal,
    ...(run.recording ? { recording: run.recording.index } : {}),
  };
  const ctx = trace.setSpan(ROOT_CONTEXT, root).setValue(LOCAL_ROOT_KEY, root);
  const work = context.with(ctx, () => {
    try {
      return Promise.resolve(target.invoke(run.entry.input, runContext));
    } catch (err) {
      return Promise.reject(err);
    }
  });
  const outcome = await settle(work, settings.timeoutMs, deps.stop.expired, sdk);
  if (outcome.status === 'success') {
    setRunPayload(root, sdk, 'output', outcome.output);
  } else {
    controller.abort(new Error(`${outcome.failure.type}: ${outcome.failure.message}`));
    failRoot(root, outcome.failure);
  }
  root.end();
  if (target.remoteSpans && outcome.status !== 'interrupted') {
    const answeredAt = performance.now();
    const deadline = Math.max(started + settings.timeoutMs, answeredAt + settings.runner.quiet_period_ms);
    await waitQuiet(deps, traceId, answeredAt, deadline);
  }
  const keep = outcome.status === 'success' || lastAttempt || deps.stop.requested;
  const traceRecord = deps.router.finalize(traceId, { keep, unfinishedReason: UNFINISHED_REASON[outcome.status] });
  return { outcome, trace: traceRecord, durationMs: performance.now() - started };
}
