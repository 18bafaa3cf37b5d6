/**
 * Remote targets (an HTTP endpoint, a subprocess) and the experiment's loopback OTLP receiver their spans arrive
 * at. The orchestrator (runner/index.ts) builds them from runner.http / runner.process and routes the spans.
 */
export { createHttpTarget } from './http/http-target.js';
export { type SseEvent, SseParser } from './http/sse-parser.js';
export { type OtlpReceiverOptions, startOtlpReceiver } from './otlp-receiver.js';
export { createProcessTarget, type ProcessTargetOptions } from './process/process-target.js';
export { RemoteRunError, type RunLogSink } from './run-error.js';
