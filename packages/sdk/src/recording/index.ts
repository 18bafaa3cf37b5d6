/**
 * `@fluxloop/sdk/recording`: the recording format (docs/cli/recording.md). Wrappers write it when
 * FLUXLOOP_RECORD_ARGS is on; the experiment runner reads it to replay recorded calls with generated inputs.
 */
export { type RecordingLine, recordingLine, splitCall } from './call-shape.js';
export { type DecodeOptions, decodeCall, decodeRecorded, pointerToPath, RECORDED_CLASS } from './decode.js';
export { type EncodeOptions, encoderState, encodeValue } from './encode.js';
export { isMarker, MARKER_KEY, type Marker, type MarkerType } from './markers.js';
export { type CallRecorder, FileCallRecorder } from './recorder.js';
export { WRAPPED_INFO, type WrappedInfo, wrappedInfo } from './wrapped-info.js';
