/**
 * @fluxloop/collector: OTLP/HTTP (JSON and protobuf) and FluxLoop record batches in, FluxLoop records out.
 */

export { Ingestor, type IngestorOptions, serviceFolder } from './ingest.js';
export { type DecodeResult, decodeJson, decodeProtobuf, OtlpDecodeError } from './otlp/decode.js';
export { type CollectorOptions, type CollectorStats, type RunningCollector, startCollector } from './server.js';
