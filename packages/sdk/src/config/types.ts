import type { RedactionRule } from '../capture/redaction.js';
import type { Reporter } from '../diagnostics.js';
import type { RecordStorage } from '../storage/types.js';

export type StorageKind = 'file' | 'http' | 'none';
export type CaptureMode = 'full' | 'redacted' | 'none';
export type OtlpProtocol = 'http/json' | 'http/protobuf';

export interface OtlpOptions {
  /** Full URL of the traces endpoint, e.g. http://127.0.0.1:4318/v1/traces. */
  endpoint?: string;
  headers?: Record<string, string>;
  protocol?: OtlpProtocol;
  timeoutMs?: number;
  compression?: 'gzip' | 'none';
}

/** Queue and batch sizes of the export pipeline (the OTEL_BSP_* variables set the same). */
export interface BatchOptions {
  /** Spans held waiting for export at most; beyond it spans are dropped and counted. */
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  /** Longest a finished span waits before its batch is sent, in ms. */
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}

/** Options of configure() / new FluxLoopClient(). Each beats its FLUXLOOP_* variable, which beats OTEL_*. */
export interface FluxLoopOptions {
  /** false makes every wrapper a pure pass-through. Env: FLUXLOOP_ENABLED, OTEL_SDK_DISABLED. */
  enabled?: boolean;
  /** Where records go, or a storage of your own (it then runs on the main thread). Env: FLUXLOOP_STORAGE. */
  storage?: StorageKind | RecordStorage;
  /** Folder of traces.jsonl and observations.jsonl. Env: FLUXLOOP_OUTPUT_DIR. Default ./traces. */
  outputDir?: string;
  /** Env: FLUXLOOP_COLLECTOR_URL. Default http://127.0.0.1:8000. */
  collectorUrl?: string;
  /** Sent as Authorization: Bearer. Env: FLUXLOOP_API_KEY. */
  apiKey?: string;
  /** Where HTTP storage keeps batches it could not deliver yet. Env: FLUXLOOP_SPOOL_DIR. Default ./.fluxloop/spool. */
  spoolDir?: string;
  /** Env: FLUXLOOP_CAPTURE_CONTENT. Default redacted. */
  captureContent?: CaptureMode;
  /** Redaction rules run after the built-in ones. */
  redactionRules?: RedactionRule[];
  /** Longest captured input or output, in characters of JSON; longer ones are cut with a marker. Env: FLUXLOOP_MAX_PAYLOAD_CHARS. */
  maxPayloadChars?: number;
  /** Fraction of traces kept, decided per whole trace. Env: FLUXLOOP_SAMPLE_RATE, OTEL_TRACES_SAMPLER(_ARG). */
  sampleRate?: number;
  /** Env: OTEL_SERVICE_NAME. */
  serviceName?: string;
  /** Env: OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** OTLP export beside FluxLoop storage. Env: OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_*. */
  otlp?: boolean | OtlpOptions;
  /**
   * Also write inputs and outputs as OpenInference's input.value / output.value, the attributes Langfuse and
   * Phoenix display. Env: FLUXLOOP_MIRROR_PAYLOADS. Default: on when OTLP export is on.
   */
  mirrorPayloads?: boolean;
  /** Env: FLUXLOOP_RECORD_ARGS. */
  recordArgs?: boolean;
  /** Env: FLUXLOOP_RECORDING_FILE. Default recordings/args_recording.jsonl. */
  recordingFile?: string;
  batch?: BatchOptions;
  /** Run record building and storage on a worker thread (default true), off the application's thread. */
  exportThread?: boolean;
  /** Where the SDK reports its own problems. Default: stderr, once per kind of problem. */
  reporter?: Reporter;
}

export interface ResolvedOtlp {
  endpoint: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  timeoutMs: number;
  compression: 'gzip' | 'none';
}

export interface ResolvedBatch {
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduledDelayMillis: number;
  exportTimeoutMillis: number;
}

export interface ResolvedConfig {
  enabled: boolean;
  storage: StorageKind | 'custom';
  customStorage?: RecordStorage;
  outputDir: string;
  collectorUrl: string;
  apiKey?: string;
  spoolDir: string;
  captureContent: CaptureMode;
  redactionRules: RedactionRule[];
  maxPayloadChars: number;
  sampleRate: number;
  serviceName?: string;
  resourceAttributes: Record<string, string | number | boolean>;
  otlp?: ResolvedOtlp;
  mirrorPayloads: boolean;
  recordArgs: boolean;
  recordingFile: string;
  /**
   * The trace this process was started in: the TRACEPARENT environment variable (W3C trace context, as a parent
   * process passes it: `fluxloop run experiment` does for process targets). Wrappers that start a trace continue it.
   */
  envParent?: { traceId: string; spanId: string; traceFlags: number };
  batch: ResolvedBatch;
  exportThread: boolean;
  /** Where each setting came from (option, FLUXLOOP_X, .env:FLUXLOOP_X, OTEL_X, default): for doctor and tests. */
  sources: Record<string, string>;
}
