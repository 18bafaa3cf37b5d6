import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, schemaProblems, serve } from './helpers/collector.js';
import { postJson, postTraces } from './helpers/http.js';
import { jsonBody, jsonRequest, jsonSpan, protobufBody, SpanFactory, withIds } from './helpers/otlp.js';
import { decodeStatus } from './helpers/proto.js';

afterEach(cleanup);

describe('OTLP/HTTP success responses', () => {
  it('JSON: 200 with an empty ExportTraceServiceResponse, {}', async () => {
    const c = await serve();
    const reply = await postTraces(c.tracesUrl, jsonBody(new SpanFactory('resp').trace3('ok')), 'json');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.body.toString()).toBe('{}');
    expect(c.records('resp').observations).toHaveLength(3);
  });

  it('protobuf: 200 with an ExportTraceServiceResponse that has no partial_success', async () => {
    const c = await serve();
    const reply = await postTraces(c.tracesUrl, protobufBody(new SpanFactory('resp').trace3('ok')), 'protobuf');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-protobuf');
    expect(ProtobufTraceSerializer.deserializeResponse(reply.body)).toEqual({});
    expect(c.records('resp').observations).toHaveLength(3);
  });
});

describe('OTLP partial success: invalid spans are rejected and counted, the valid ones stored', () => {
  it('JSON: a 15-byte trace id and an all-zero span id among valid spans', async () => {
    const c = await serve();
    const request = jsonRequest(
      [
        jsonSpan({ name: 'good-1' }),
        jsonSpan({ name: 'short-trace-id', traceId: 'ab'.repeat(15) }),
        jsonSpan({ name: 'zero-span-id', spanId: '0'.repeat(16) }),
        jsonSpan({ name: 'good-2' }),
      ],
      'partial',
    );
    const reply = await postJson(c.tracesUrl, request);
    expect(reply.status).toBe(200);
    const body = reply.json<{ partialSuccess: { rejectedSpans: string | number; errorMessage: string } }>();
    expect(Number(body.partialSuccess.rejectedSpans)).toBe(2);
    expect(body.partialSuccess.errorMessage).toMatch(/spans\[1\].*traceId/);
    expect(body.partialSuccess.errorMessage).toMatch(/spans\[2\].*spanId.*zero/);
    const records = c.records('partial');
    expect(records.observations.map((o) => o.name).sort()).toEqual(['good-1', 'good-2']);
    expect(schemaProblems(records)).toEqual([]);
    expect(c.stats()).toMatchObject({ spans: 2, rejectedSpans: 2 });
  });

  it('protobuf (official serializer): bad id lengths and zero ids, decoded from the binary response', async () => {
    const c = await serve();
    const [a, b, root] = new SpanFactory('partial-pb').trace3('pb');
    const spans = [
      withIds(a!, { traceId: 'ab'.repeat(15) }),
      withIds(b!, { spanId: '0'.repeat(16) }),
      withIds(b!, { spanId: 'cd'.repeat(9), traceId: b!.spanContext().traceId }),
      root!,
    ];
    const reply = await postTraces(c.tracesUrl, protobufBody(spans), 'protobuf');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-protobuf');
    const response = ProtobufTraceSerializer.deserializeResponse(reply.body);
    expect(Number(response.partialSuccess?.rejectedSpans)).toBe(3);
    expect(response.partialSuccess?.errorMessage).toContain('traceId: expected 16 bytes, got 15');
    expect(response.partialSuccess?.errorMessage).toContain('spanId: all zero');
    expect(response.partialSuccess?.errorMessage).toContain('spanId: expected 8 bytes, got 9');
    const records = c.records('partial-pb');
    expect(records.observations.map((o) => o.name)).toEqual(['pb']);
    expect(records.traces.map((t) => t.name)).toEqual(['pb']);
  });

  it('wrong types inside spans are rejected spans (partial success), never a 500', async () => {
    const c = await serve();
    const bad = [
      jsonSpan({ traceId: 12345 }),
      jsonSpan({ spanId: null }),
      jsonSpan({ name: 42 }),
      jsonSpan({ startTimeUnixNano: 'yesterday' }),
      jsonSpan({ endTimeUnixNano: -5 }),
      jsonSpan({ kind: 9 }),
      jsonSpan({ status: { code: 7 } }),
      jsonSpan({ attributes: 'not a list' }),
      jsonSpan({ events: [1, 2] }),
      jsonSpan({ events: [{ name: 'e', timeUnixNano: 'soon' }] }),
      jsonSpan({ parentSpanId: 'xyz' }),
    ];
    const reply = await postJson(c.tracesUrl, jsonRequest([...bad, jsonSpan({ name: 'survivor' })], 'types'));
    expect(reply.status).toBe(200);
    const body = reply.json<{ partialSuccess: { rejectedSpans: string; errorMessage: string } }>();
    expect(Number(body.partialSuccess.rejectedSpans)).toBe(bad.length);
    expect(body.partialSuccess.errorMessage).toContain('spans[0]: traceId');
    expect(c.records('types').observations.map((o) => o.name)).toEqual(['survivor']);
    expect(c.stats().errors).toEqual({});
  });

  it('error replies carry a google.rpc.Status in the request encoding', async () => {
    const c = await serve({ maxBodyBytes: 1024 });
    const pb = await postTraces(c.tracesUrl, Buffer.from([0x0a, 0xff, 0x01]), 'protobuf');
    expect(pb.status).toBe(400);
    expect(pb.headers['content-type']).toBe('application/x-protobuf');
    expect(decodeStatus(pb.body)).toEqual({ code: 3, message: expect.stringContaining('invalid OTLP protobuf') });
    const big = await postTraces(c.tracesUrl, Buffer.alloc(2048), 'protobuf');
    expect(big.status).toBe(413);
    expect(decodeStatus(big.body).code).toBe(8);
    const json = await postTraces(c.tracesUrl, '{"resourceSpans": 5}', 'json');
    expect(json.status).toBe(400);
    expect(json.headers['content-type']).toBe('application/json');
    expect(json.json()).toEqual({ code: 3, message: expect.stringContaining('resourceSpans') });
  });
});
