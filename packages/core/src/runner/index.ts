export type { RunContext, SpanSink, Target, TargetKind } from './types.js';
