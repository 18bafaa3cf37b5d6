export { loadModuleTarget, type TargetCallContext } from './module-target.js';
export { type ExperimentOverrides, type ExperimentSettings, resolveSettings } from './settings.js';
export type {
  OtlpReceiver,
  RemoteTargetFactories,
  RemoteTargetsLoader,
  RunContext,
  SpanSink,
  Target,
  TargetEnvironment,
  TargetKind,
} from './types.js';
