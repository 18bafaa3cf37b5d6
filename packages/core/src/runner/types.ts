import type { SpanSnapshot } from '@fluxloop/sdk/projection';
import type { Project } from '../project/load.js';
import type { HttpTarget, InputEntry, ProcessTarget } from '../project/types.js';

/**
 * The contract between the orchestrator (runs, concurrency, timeouts, artifacts) and the targets it drives
 * (an in-process module function, an HTTP endpoint, a subprocess). Each run is one trace: the orchestrator starts
 * the run's root span and calls `invoke` inside its context, so an in-process target's spans become its children;
 * remote targets get `traceparent` and export their spans to the experiment's OTLP receiver.
 */
export interface RunContext {
  /** Unique within the experiment; stable for a given (iteration, entry index). */
  runId: string;
  experimentId: string;
  /** 0-based. */
  iteration: number;
  /** Index of the entry in the experiment's input entries. */
  entryIndex: number;
  entry: InputEntry;
  persona: string | null;
  /** W3C traceparent of the run's root span (`00-<trace id>-<span id>-01`). */
  traceparent: string;
  /** Aborted when the run times out or the experiment is interrupted: a target stops its work and rejects. */
  signal: AbortSignal;
  /** When replaying: the index of the recorded call this run replays (replay_args). */
  recording?: number;
  /** A piece of streamed output (SSE delta, subprocess delta), for --verbose and the run's trace. */
  onDelta?(text: string): void;
}

export type TargetKind = 'module' | 'http' | 'process';

export interface Target {
  readonly kind: TargetKind;
  /** What the user configured (`./agent.ts:run`, `POST http://...`, `node agent.js`): names root spans. */
  readonly description: string;
  /** True when the target's spans arrive over OTLP, so a run is complete only once its trace has been quiet. */
  readonly remoteSpans: boolean;
  /** In-process function targets: the function itself and a way to call it with explicit arguments (replay). */
  readonly replayable?: {
    /** As exported (for a Class.method target, the unbound method): what recordings are checked against. */
    readonly fn: (...args: unknown[]) => unknown;
    call(args: unknown[]): unknown;
  };
  /** Runs one input; resolves with the output or rejects with the run's error. */
  invoke(input: unknown, ctx: RunContext): Promise<unknown>;
  /** Releases what the target holds (subprocesses, sockets); runs in flight are aborted first. */
  close(): Promise<void>;
}

/** Spans from outside the runner (the OTLP receiver), as projection snapshots. */
export type SpanSink = (spans: SpanSnapshot[]) => void;

/** What a target is built from, besides its own config section. */
export interface TargetEnvironment {
  project: Project;
  /** The environment targets see and `${NAME}` templates read: the project's .env under the real environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** Base URL of the experiment's loopback OTLP receiver (`http://127.0.0.1:<port>`), for remote targets. */
  otlpEndpoint: string;
}

/** The experiment's loopback OTLP/HTTP receiver: spans of HTTP and process targets arrive here. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: what OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  url: string;
  port: number;
  stats(): { requests: number; spans: number; rejected: number };
  close(): Promise<void>;
}

/**
 * What the runner needs from runner/remote/ (HTTP and subprocess targets, the OTLP receiver). The orchestrator
 * reaches them through this interface, loaded on demand, so module-target experiments never load them.
 */
export interface RemoteTargetFactories {
  createHttpTarget(config: HttpTarget, env: TargetEnvironment): Target;
  createProcessTarget(config: ProcessTarget, env: TargetEnvironment): Promise<Target>;
  startOtlpReceiver(options: { port: number; host?: string; onSpans: SpanSink }): Promise<OtlpReceiver>;
}

export type RemoteTargetsLoader = () => Promise<RemoteTargetFactories>;
