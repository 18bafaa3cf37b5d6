import type { ExperimentSummary } from '@fluxloop/contract';
import { readInputEntries } from '../project/entries.js';
import type { Project } from '../project/load.js';
import { ArtifactWriter } from '../reduce/artifact-writer.js';
import { RunStats } from '../reduce/run-stats.js';
import { prepareReplay } from '../replay/plan.js';
import { createReplayTarget, type ReplayPlan } from '../replay/replay-target.js';
import { createExperimentFolder, type ExperimentFolderOptions } from './experiment-id.js';
import { effectiveConfig, experimentSummary, traceSummaryRecord } from './records.js';
import { loadRemoteTargets } from './remote-seam.js';
import type { AttemptDeps, AttemptResult, AttemptStatus, PlannedRun } from './run-attempt.js';
import { type ExperimentOverrides, resolveSettings } from './settings.js';
import { type RouterStats, SpanRouter } from './span-router.js';
import { createTarget, type TargetSetup } from './target-factory.js';
import type { RemoteTargetsLoader, SpanSink, Target } from './types.js';

export interface ExperimentStarted {
  experimentId: string;
  /** The experiment folder (absolute). */
  dir: string;
  name: string;
  totalRuns: number;
  entries: number;
  iterations: number;
  /** Recorded calls replayed with each input entry, when replaying. */
  recordings?: number;
  concurrency: number;
  /** What runs: `./agent.ts:run`, `POST http://...`. */
  target: string;
  /** The loopback OTLP receiver HTTP and process targets export to. */
  otlpEndpoint?: string;
}

export interface RunReport {
  runId: string;
  iteration: number;
  entryIndex: number;
  persona: string | null;
  input: unknown;
  /** As recorded (per the capture mode); null for a failed run. */
  output: unknown;
  status: AttemptStatus;
  success: boolean;
  error: string | null;
  durationMs: number;
  attempts: number;
  traceId: string | null;
}

export interface ExperimentProgress {
  done: number;
  total: number;
  failed: number;
}

/** How the experiment reports while it runs; the CLI renders these (core never writes to a terminal). */
export interface ExperimentReporter {
  started?(info: ExperimentStarted): void;
  runFinished?(run: RunReport, progress: ExperimentProgress): void;
  /** A line a remote target logged for a run in flight (a process's stderr, its non-protocol stdout). */
  runLog?(run: { runId: string; line: string }): void;
  /** Once a stop was requested: runs in flight get `graceMs` to finish. */
  stopping?(info: { inFlight: number; graceMs: number }): void;
  warn?(message: string): void;
}

export interface RunExperimentOptions {
  project: Project;
  overrides?: ExperimentOverrides;
  reporter?: ExperimentReporter;
  /** Aborting it stops the experiment (Ctrl-C): no new runs, runs in flight get the grace period. */
  signal?: AbortSignal;
  /** How long runs in flight may still finish once the experiment is stopped. Default 2000 ms. */
  interruptGraceMs?: number;
  /** Where HTTP and process targets come from (runner/remote/). */
  remote?: RemoteTargetsLoader;
  /**
   * A target built by the caller instead of the one configured in runner (library use, tests). It gets the sink
   * for spans that reach it from outside the process, as an OTLP receiver would deliver them.
   */
  target?: (remoteSpans: SpanSink) => Target | Promise<Target>;
  /** Experiment folder naming (start time and suffix), for tests. */
  folder?: ExperimentFolderOptions;
}

export interface ExperimentResult {
  experimentId: string;
  dir: string;
  summary: ExperimentSummary;
  /** fail_on_run_errors as it applied (config or override). */
  failOnRunErrors: boolean;
  spans: RouterStats;
}

const DEFAULT_GRACE_MS = 2_000;

/** Stop handling: a request (no new runs or retries), then, after the grace, the end of runs in flight. */
function stopControl(signal: AbortSignal | undefined, graceMs: number, onStop: () => void) {
  const expired = new AbortController();
  const state = { requested: false, expired: expired.signal };
  let timer: NodeJS.Timeout | undefined;
  const request = () => {
    if (state.requested) return;
    state.requested = true;
    onStop();
    timer = setTimeout(() => expired.abort(), graceMs);
  };
  if (signal?.aborted) request();
  else signal?.addEventListener('abort', request, { once: true });
  return {
    state,
    dispose: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', request);
    },
  };
}

/** Runs `work` over the planned runs with at most `concurrency` in flight; `next` returns undefined to stop. */
async function runPool(
  concurrency: number,
  next: () => PlannedRun | undefined,
  work: (run: PlannedRun) => Promise<void>,
) {
  const worker = async () => {
    for (let run = next(); run !== undefined; run = next()) await work(run);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * `fluxloop run experiment`: runs the target over input entries x iterations and writes the experiment folder
 * (docs/design/experiments.md). The tracer provider is registered before the target loads; the folder is created
 * only once the target has loaded, so a configuration error leaves nothing behind.
 */
export async function runExperiment(options: RunExperimentOptions): Promise<ExperimentResult> {
  const { project } = options;
  const overrides = options.overrides ?? {};
  const settings = resolveSettings(project, overrides);
  const inputs = readInputEntries(project);
  const entries = inputs.entries;
  const reporter = options.reporter ?? {};
  const warn = (message: string) => reporter.warn?.(message);
  const router = new SpanRouter();
  // OpenTelemetry and the SDK's runtime load only when an experiment runs, not with every command of the CLI.
  const [{ runAttempt }, { startRunnerTracing }] = await Promise.all([
    import('./run-attempt.js'),
    import('./runner-tracing.js'),
  ]);
  const tracing = await startRunnerTracing({
    serviceName: settings.serviceName,
    capture: settings.capture,
    router,
    warn,
  });
  let setup: TargetSetup | undefined;
  let writer: ArtifactWriter | undefined;
  try {
    setup = options.target
      ? { target: await options.target(router.received) }
      : await createTarget(project, settings, {
          env: project.env.vars,
          onRemoteSpans: router.received,
          remote: options.remote ?? loadRemoteTargets,
        });
    const replay = await prepareReplay({
      project,
      replay: settings.effectiveSimulation.replay_args,
      runner: settings.runner,
      target: setup.target,
      traced: tracing.traced,
    });
    if (replay) setup = { ...setup, target: createReplayTarget(setup.target, replay) };
    // Runs = input entries x iterations (x recordings when replaying), in that nesting.
    const perEntry = replay?.recordings.length ?? 1;
    const total = entries.length * settings.iterations * perEntry;
    const startedAt = new Date();
    const folder = createExperimentFolder(settings.outputDirectory, { now: startedAt, ...options.folder });
    writer = new ArtifactWriter(folder.dir);
    router.connect(writer);
    reporter.started?.({
      experimentId: folder.id,
      dir: folder.dir,
      name: settings.name,
      totalRuns: total,
      entries: entries.length,
      iterations: settings.iterations,
      ...(replay ? { recordings: replay.recordings.length } : {}),
      concurrency: settings.concurrency,
      target: setup.target.description,
      ...(setup.receiver ? { otlpEndpoint: setup.receiver.url } : {}),
    });

    const stats = new RunStats();
    let inFlight = 0;
    const graceMs = options.interruptGraceMs ?? DEFAULT_GRACE_MS;
    const stop = stopControl(options.signal, graceMs, () => reporter.stopping?.({ inFlight, graceMs }));
    const deps: AttemptDeps = {
      tracer: tracing.tracer,
      sdk: tracing.sdk,
      router,
      target: setup.target,
      settings,
      experimentId: folder.id,
      stop: stop.state,
      ...(reporter.runLog ? { onLog: (runId: string, line: string) => reporter.runLog!({ runId, line }) } : {}),
    };
    const out = writer;
    let nextIndex = 0;
    const next = (): PlannedRun | undefined => {
      if (stop.state.requested || nextIndex >= total) return undefined;
      const index = nextIndex++;
      const perIteration = entries.length * perEntry;
      const iteration = Math.floor(index / perIteration);
      const entryIndex = Math.floor((index % perIteration) / perEntry);
      const run: PlannedRun = {
        runId: `i${iteration}-e${entryIndex}`,
        iteration,
        entryIndex,
        entry: entries[entryIndex]!,
      };
      return replay ? withRecording(run, replay, index % perEntry) : run;
    };
    const execute = async (run: PlannedRun) => {
      inFlight++;
      let result: AttemptResult;
      let attempt = 0;
      for (; ; attempt++) {
        const last = attempt >= settings.retries;
        result = await runAttempt(deps, run, attempt, last);
        if (result.outcome.status === 'success' || last || stop.state.requested) break;
      }
      inFlight--;
      const record = traceSummaryRecord(run, result, attempt + 1, tracing.sdk);
      out.traceSummary(record);
      stats.add({ success: record.success, durationMs: record.duration_ms, tokenUsage: record.token_usage });
      reporter.runFinished?.(
        {
          runId: run.runId,
          iteration: run.iteration,
          entryIndex: run.entryIndex,
          persona: record.persona,
          input: run.entry.input,
          output: record.output,
          status: result.outcome.status,
          success: record.success,
          error: record.error,
          durationMs: record.duration_ms,
          attempts: attempt + 1,
          traceId: record.trace_id,
        },
        { done: stats.runs, total, failed: stats.failures },
      );
    };
    try {
      await runPool(Math.min(settings.concurrency, Math.max(total, 1)), next, execute);
    } finally {
      stop.dispose();
    }

    const summary = experimentSummary({
      experimentId: folder.id,
      name: settings.name,
      startedAt,
      finishedAt: new Date(),
      interrupted: stop.state.requested,
      config: effectiveConfig(project, settings, inputs, total, overrides, replay?.recordings.length),
      results: stats.results(),
    });
    writer.close();
    writer.writeSummary(summary);
    const spans = router.stats();
    if (spans.droppedSpans > 0) {
      warn(
        `${spans.droppedSpans} spans were not recorded: they belong to no run of this experiment` +
          (spans.lateSpans > 0 ? `, or (${spans.lateSpans} of them) arrived after their run had finished` : ''),
      );
    }
    return {
      experimentId: folder.id,
      dir: folder.dir,
      summary,
      failOnRunErrors: settings.failOnRunErrors,
      spans,
    };
  } finally {
    await closeAll([
      () => writer?.close(),
      () => setup?.target.close(),
      () => setup?.receiver?.close(),
      () => tracing.shutdown(),
    ]);
  }
}

function withRecording(run: PlannedRun, replay: ReplayPlan, index: number): PlannedRun {
  const r = replay.recordings[index]!;
  return {
    ...run,
    runId: `${run.runId}-r${index}`,
    recording: { index, function: r.function, line: r.line, timestamp: r.timestamp },
  };
}

/** Runs every step even when one fails, then throws the first failure. */
async function closeAll(steps: (() => unknown)[]): Promise<void> {
  let failure: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
}
