/**
 * @fluxloop/sdk: trace AI agents with OpenTelemetry and write FluxLoop records.
 */

export {
  BUILTIN_REDACTION_RULES,
  type KeyRedactionRule,
  type RedactionRule,
  Redactor,
  redactionMarker,
  type ValueRedactionRule,
} from './capture/redaction.js';
export { type SerializeOptions, toJsonText } from './capture/serialize.js';
export { type Environment, FLUXLOOP_VARIABLES, readEnvironment } from './config/env.js';
export { type ConfigProblem, FluxLoopConfigError, type Resolution, resolveConfig } from './config/resolve.js';
export type {
  BatchOptions,
  CaptureMode,
  FluxLoopOptions,
  OtlpOptions,
  ResolvedConfig,
  StorageKind,
} from './config/types.js';
export { ConsoleReporter, MemoryReporter, type Reporter } from './diagnostics.js';
export { FluxLoopSpanProcessor, type ProcessorStats } from './processor/span-processor.js';
export { configure, FLUXLOOP_SCOPE, FluxLoopClient } from './runtime/client.js';
export { forceFlush, installSignalHandlers, shutdown } from './runtime/lifecycle.js';
export * as attributes from './semconv.js';
export { FileStorage, OBSERVATIONS_FILE, TRACES_FILE } from './storage/file-storage.js';
export type { EncodedBatch, RecordStorage, StorageStats } from './storage/types.js';
export { CapturePolicy } from './tracing/capture-policy.js';
export { type EventOptions, event } from './tracing/event.js';
export type { TraceFields } from './tracing/trace-fields.js';
export { updateTrace } from './tracing/update-trace.js';
export { agent, generation, type MethodDecorator, tool, trace, type WrapOptions } from './tracing/wrappers.js';
export { SDK_VERSION } from './version.js';
