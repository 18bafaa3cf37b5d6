import protobuf from 'protobufjs';

/**
 * Protobuf messages the tests need besides the trace export request (which the official serializer writes):
 * google.rpc.Status, the body of OTLP/HTTP error replies, and an OTLP logs export request, the "wrong message"
 * a misconfigured client sends to /v1/traces. Written here from opentelemetry-proto, independently of the
 * collector's own schema.
 */
const root = protobuf.parse(
  `
syntax = "proto3";
message Status { int32 code = 1; string message = 2; }
message AnyValue { oneof value { string string_value = 1; int64 int_value = 3; } }
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; }
message LogRecord {
  fixed64 time_unix_nano = 1;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  fixed64 observed_time_unix_nano = 11;
}
message ScopeLogs { repeated LogRecord log_records = 2; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
`,
  { keepCase: true },
).root;

const Status = root.lookupType('Status');
const LogsRequest = root.lookupType('ExportLogsServiceRequest');

/** Decodes a google.rpc.Status error body. */
export function decodeStatus(body: Uint8Array): { code: number; message: string } {
  const s = Status.toObject(Status.decode(body), { defaults: true }) as { code: number; message: string };
  return { code: s.code, message: s.message };
}

/** An OTLP logs export request with `count` log records (with trace context), as protobuf. */
export function logsRequest(count: number): Uint8Array {
  const now = Date.now() * 1_000_000;
  return LogsRequest.encode(
    LogsRequest.create({
      resource_logs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'logs-svc' } }] },
          scope_logs: [
            {
              log_records: Array.from({ length: count }, (_, i) => ({
                time_unix_nano: now,
                observed_time_unix_nano: now,
                severity_number: 9,
                severity_text: 'INFO',
                body: { string_value: `log line ${i}` },
                attributes: [{ key: 'i', value: { int_value: i } }],
                trace_id: Buffer.alloc(16, 7),
                span_id: Buffer.alloc(8, 9),
              })),
            },
          ],
        },
      ],
    }),
  ).finish();
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited protobuf field. */
function field(number: number, payload: Uint8Array): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(payload.length), payload]);
}

function fixed64(number: number, value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return Buffer.concat([varint((number << 3) | 1), b]);
}

/**
 * An OTLP protobuf trace request with one valid span whose attribute value is an array nested `depth` deep,
 * written byte by byte (any encoder would recurse that deep itself). Field numbers from opentelemetry-proto.
 */
export function deepProtobufRequest(depth: number, ids: { traceId: Buffer; spanId: Buffer }): Buffer {
  const inner = field(1, Buffer.from('deep')); // AnyValue.string_value
  const headers: Buffer[] = [];
  let length = inner.length;
  for (let i = 0; i < depth; i++) {
    const array = Buffer.concat([varint((1 << 3) | 2), varint(length)]); // ArrayValue.values
    length += array.length;
    const any = Buffer.concat([varint((5 << 3) | 2), varint(length)]); // AnyValue.array_value
    length += any.length;
    headers.push(array, any);
  }
  const value = Buffer.concat([...headers.reverse(), inner]);
  const attribute = Buffer.concat([field(1, Buffer.from('deep')), field(2, value)]); // KeyValue
  const now = BigInt(Date.now()) * 1_000_000n;
  const span = Buffer.concat([
    field(1, ids.traceId),
    field(2, ids.spanId),
    field(5, Buffer.from('deep-span')),
    fixed64(7, now),
    fixed64(8, now + 1000n),
    field(9, attribute),
  ]);
  return field(1, field(2, field(2, span))); // request.resource_spans.scope_spans.spans
}
