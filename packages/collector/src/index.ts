/**
 * @fluxloop/collector: OTLP/HTTP (JSON and protobuf) and FluxLoop record batches in, FluxLoop records out.
 */

export { HttpError, readBody } from './body.js';
export { Ingestor, type IngestorOptions, serviceFolder } from './ingest.js';
export { type DecodeResult, decodeJson, decodeProtobuf, OtlpDecodeError } from './otlp/decode.js';
export { CONTENT_TYPE, exportResponse, type OtlpEncoding, RpcCode, statusBody } from './otlp/response.js';
export { type CollectorOptions, type CollectorStats, type RunningCollector, startCollector } from './server.js';
