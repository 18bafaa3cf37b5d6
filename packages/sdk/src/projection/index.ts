/**
 * `@fluxloop/sdk/projection`: the one span → record projection, shared by the SDK's processor, the collector and
 * the experiment runner.
 */

export { encodeObservation, encodeTrace } from './encode.js';
export { deriveEventId } from './ids.js';
export { type ObservationDraft, observationType, projectObservations, tokenUsage } from './observation.js';
export { JsonText, type Payload, payloadText, payloadValue } from './payload.js';
export type { Attributes, AttributeValue, HrTime, SpanEventSnapshot, SpanSnapshot } from './snapshot.js';
export { isLocalRoot, StatusCode } from './snapshot.js';
export { durationMs, hrTimeFromMillis, isoFromHrTime } from './time.js';
export { type ProjectedSpan, TraceAssembler, type TraceAssemblerOptions, type TraceDraft } from './trace-assembler.js';
