export type { OtlpReceiver, RunContext, SpanSink, Target, TargetEnvironment, TargetKind } from './types.js';
