import { ExportTraceServiceResponse, RpcStatus } from './schema.js';

export type OtlpEncoding = 'json' | 'protobuf';

export const CONTENT_TYPE: Record<OtlpEncoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

/**
 * The OTLP/HTTP success response: an ExportTraceServiceResponse, with partial_success when some spans were
 * rejected (the client must not retry those), in the request's own encoding.
 */
export function exportResponse(encoding: OtlpEncoding, rejected: number, errorMessage: string): Buffer {
  if (encoding === 'json') {
    const body = rejected > 0 ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  const message = ExportTraceServiceResponse.create(
    rejected > 0 ? { partial_success: { rejected_spans: rejected, error_message: errorMessage } } : {},
  );
  return Buffer.from(ExportTraceServiceResponse.encode(message).finish());
}

/** gRPC status codes used in OTLP/HTTP error bodies (google.rpc.Status). */
export const RpcCode = { invalidArgument: 3, unauthenticated: 16, resourceExhausted: 8, unavailable: 14 } as const;

/** An OTLP/HTTP error body (google.rpc.Status) in the request's encoding, so clients can log the reason. */
export function statusBody(encoding: OtlpEncoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(RpcStatus.encode(RpcStatus.create({ code, message })).finish());
}
