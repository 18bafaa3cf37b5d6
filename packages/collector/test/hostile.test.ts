import zlib from 'node:zlib';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, serve, type TestCollector } from './helpers/collector.js';
import {
  JSON_TYPE,
  PROTOBUF_TYPE,
  postJson,
  postTraces,
  type Reply,
  rawConnect,
  rawStatus,
  request,
} from './helpers/http.js';
import { jsonBody, jsonRequest, jsonSpan, protobufBody, SpanFactory } from './helpers/otlp.js';
import { decodeStatus, deepProtobufRequest, logsRequest } from './helpers/proto.js';
import { recordBatch } from './helpers/records.js';

const MAX_BODY = 64 * 1024;

let c: TestCollector;
const factory = new SpanFactory('hostile');
beforeAll(async () => {
  c = await serve({ maxBodyBytes: MAX_BODY });
});
afterAll(cleanup);

/** A valid request after every hostile one: the server still answers and stores. */
async function expectStillServing(collector: TestCollector = c): Promise<void> {
  const before = collector.records('hostile').observations.length;
  const reply = await postTraces(collector.tracesUrl, jsonBody(factory.trace3('still-serving')), 'json');
  expect(reply.status).toBe(200);
  expect(collector.records('hostile').observations.length).toBe(before + 3);
  const health = await request(`${collector.url}/health`, { method: 'GET' });
  expect(health.status).toBe(200);
}

/** Deterministic pseudo-random bytes (a fixed LCG), so a failure can be replayed. */
function noise(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** A JSON error body's message, or a protobuf one's (google.rpc.Status). */
function message(reply: Reply): string {
  return reply.headers['content-type'] === 'application/x-protobuf'
    ? decodeStatus(reply.body).message
    : reply.json<{ message: string }>().message;
}

/** An OTLP/JSON request of one span whose attribute value is an array nested `depth` deep (built as text). */
function deepJsonRequest(depth: number): string {
  const value = `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"deep"}${']}}'.repeat(depth)}`;
  const span = JSON.stringify(jsonSpan({ attributes: [] })).replace(
    '"attributes":[]',
    `"attributes":[{"key":"deep","value":${value}}]`,
  );
  return `{"resourceSpans":[{"scopeSpans":[{"spans":[${span},${JSON.stringify(jsonSpan({ name: 'shallow' }))}]}]}]}`;
}

interface Case {
  name: string;
  status: number;
  send(): Promise<Reply>;
  check?(reply: Reply): void;
}

const validProtobuf = () => protobufBody(factory.trace3('pb'));

const CASES: Case[] = [
  {
    name: 'truncated protobuf',
    status: 400,
    send: () => {
      const body = validProtobuf();
      return postTraces(c.tracesUrl, body.subarray(0, Math.floor(body.length / 2)), 'protobuf');
    },
    check: (r) => expect(message(r)).toMatch(/^invalid OTLP protobuf: /),
  },
  {
    name: 'protobuf cut one byte short',
    status: 400,
    send: () => {
      const body = validProtobuf();
      return postTraces(c.tracesUrl, body.subarray(0, body.length - 1), 'protobuf');
    },
  },
  {
    name: 'random bytes as protobuf',
    status: 400,
    send: () => postTraces(c.tracesUrl, noise(4096), 'protobuf'),
    check: (r) => expect(decodeStatus(r.body).code).toBe(3),
  },
  {
    name: 'protobuf of the wrong message (an OTLP logs export request)',
    status: 400,
    send: () => postTraces(c.tracesUrl, logsRequest(3), 'protobuf'),
  },
  {
    name: 'OTLP/JSON sent as protobuf',
    status: 400,
    send: () => postTraces(c.tracesUrl, jsonBody(factory.trace3('mislabelled')), 'protobuf'),
  },
  {
    name: 'invalid JSON',
    status: 400,
    send: () => postTraces(c.tracesUrl, '{"resourceSpans": [', 'json'),
    check: (r) => expect(message(r)).toMatch(/^invalid JSON/),
  },
  { name: 'an empty JSON body', status: 400, send: () => postTraces(c.tracesUrl, '', 'json') },
  {
    name: 'a JSON array instead of an object',
    status: 400,
    send: () => postTraces(c.tracesUrl, '[]', 'json'),
    check: (r) => expect(message(r)).toContain('expected a JSON object'),
  },
  { name: 'JSON null', status: 400, send: () => postTraces(c.tracesUrl, 'null', 'json') },
  {
    name: 'resourceSpans: "x"',
    status: 400,
    send: () => postJson(c.tracesUrl, { resourceSpans: 'x' }),
    check: (r) => expect(message(r)).toMatch(/resourceSpans: expected an array/),
  },
  {
    name: 'scopeSpans: 5',
    status: 400,
    send: () => postJson(c.tracesUrl, { resourceSpans: [{ scopeSpans: 5 }] }),
    check: (r) => expect(message(r)).toContain('resourceSpans[0].scopeSpans'),
  },
  {
    name: 'spans: [1]',
    status: 400,
    send: () => postJson(c.tracesUrl, { resourceSpans: [{ scopeSpans: [{ spans: [1] }] }] }),
    check: (r) => expect(message(r)).toContain('resourceSpans[0].scopeSpans[0].spans[0]: expected an object'),
  },
  {
    name: 'traceId as a number: partial success, not a 500',
    status: 200,
    send: () => postJson(c.tracesUrl, jsonRequest([jsonSpan({ traceId: 1234 }), jsonSpan()], 'typed')),
    check: (r) => {
      const body = r.json<{ partialSuccess: { rejectedSpans: string; errorMessage: string } }>();
      expect(Number(body.partialSuccess.rejectedSpans)).toBe(1);
      expect(body.partialSuccess.errorMessage).toContain('traceId');
    },
  },
  {
    name: 'an empty protobuf body (an empty, valid request)',
    status: 200,
    send: () => postTraces(c.tracesUrl, Buffer.alloc(0), 'protobuf'),
  },
  {
    name: 'a body over --max-body with Content-Length',
    status: 413,
    send: () => postTraces(c.tracesUrl, Buffer.alloc(MAX_BODY + 1, 0x20), 'json'),
    check: (r) => expect(message(r)).toContain(String(MAX_BODY)),
  },
  {
    name: 'a body over --max-body, chunked (no Content-Length)',
    status: 413,
    send: () =>
      request(c.tracesUrl, { headers: JSON_TYPE, chunks: Array.from({ length: 40 }, () => Buffer.alloc(4096, 0x20)) }),
  },
  {
    name: 'protobuf over --max-body, chunked',
    status: 413,
    send: () => request(c.tracesUrl, { headers: PROTOBUF_TYPE, chunks: Array.from({ length: 40 }, () => noise(4096)) }),
    check: (r) => expect(decodeStatus(r.body).code).toBe(8),
  },
  {
    name: 'a record batch over --max-body',
    status: 413,
    send: () => postJson(c.recordsUrl, { ...recordBatch(), padding: 'x'.repeat(MAX_BODY) }),
  },
  {
    name: 'a gzip bomb (10 KB expanding to 10 MB)',
    status: 413,
    send: () =>
      postTraces(c.tracesUrl, zlib.gzipSync(Buffer.alloc(10 << 20, 0x20)), 'json', { 'content-encoding': 'gzip' }),
    check: (r) => expect(message(r)).toMatch(/decompressed body exceeds/),
  },
  {
    name: 'corrupt gzip',
    status: 400,
    send: () => {
      const gz = zlib.gzipSync(jsonBody(factory.trace3('corrupt')));
      gz.fill(0x55, 12, 40);
      return postTraces(c.tracesUrl, gz, 'json', { 'content-encoding': 'gzip' });
    },
    check: (r) => expect(message(r)).toMatch(/corrupt gzip/),
  },
  {
    name: 'Content-Encoding gzip on a plain body',
    status: 400,
    send: () => postTraces(c.tracesUrl, jsonBody(factory.trace3('plain')), 'json', { 'content-encoding': 'gzip' }),
  },
  {
    name: 'truncated gzip',
    status: 400,
    send: () => {
      const gz = zlib.gzipSync(jsonBody(factory.trace3('truncated-gz')));
      return postTraces(c.tracesUrl, gz.subarray(0, gz.length - 10), 'json', { 'content-encoding': 'gzip' });
    },
  },
  {
    name: 'Content-Encoding br',
    status: 415,
    send: () =>
      postTraces(c.tracesUrl, zlib.brotliCompressSync(jsonBody(factory.trace3('br'))), 'json', {
        'content-encoding': 'br',
      }),
    check: (r) => expect(message(r)).toContain('"br"'),
  },
  {
    name: 'Content-Type text/plain',
    status: 415,
    send: () =>
      request(c.tracesUrl, { body: jsonBody(factory.trace3('text')), headers: { 'content-type': 'text/plain' } }),
    check: (r) => expect(message(r)).toContain('text/plain'),
  },
  {
    name: 'no Content-Type',
    status: 415,
    send: () => request(c.tracesUrl, { body: jsonBody(factory.trace3('untyped')) }),
  },
  {
    name: 'a record batch as protobuf',
    status: 415,
    send: () => request(c.recordsUrl, { body: JSON.stringify(recordBatch()), headers: PROTOBUF_TYPE }),
  },
  {
    name: 'a record batch that is not JSON',
    status: 400,
    send: () => request(c.recordsUrl, { body: '{"batch_id": ', headers: JSON_TYPE }),
    check: (r) => expect(message(r)).toMatch(/^invalid JSON/),
  },
  {
    name: 'an unknown path',
    status: 404,
    send: () => postJson(`${c.url}/v1/metrics`, {}),
    check: (r) => expect(message(r)).toContain('/v1/metrics'),
  },
  { name: 'the root path', status: 404, send: () => request(`${c.url}/`, { method: 'GET' }) },
  {
    name: 'GET /v1/traces',
    status: 405,
    send: () => request(c.tracesUrl, { method: 'GET' }),
    check: (r) => expect(r.headers.allow).toBe('POST'),
  },
  {
    name: 'PUT /v1/fluxloop/records',
    status: 405,
    send: () => request(c.recordsUrl, { method: 'PUT', body: '{}', headers: JSON_TYPE }),
    check: (r) => expect(r.headers.allow).toBe('POST'),
  },
  {
    name: 'POST /health',
    status: 405,
    send: () => request(`${c.url}/health`, { method: 'POST', body: '{}', headers: JSON_TYPE }),
    check: (r) => expect(r.headers.allow).toBe('GET, HEAD'),
  },
  {
    name: 'a query string on /v1/traces is ignored',
    status: 200,
    send: () => postTraces(`${c.tracesUrl}?tenant=x`, jsonBody(factory.trace3('query')), 'json'),
  },
];

describe('malformed and hostile requests: the right status, and the server keeps serving', () => {
  for (const k of CASES) {
    it(`${k.name} → ${k.status}`, async () => {
      const reply = await k.send();
      expect(reply.status, reply.body.toString('latin1').slice(0, 300)).toBe(k.status);
      k.check?.(reply);
      await expectStillServing();
    });
  }

  it('a huge declared Content-Length is refused with 413 before the body is sent', async () => {
    const client = await rawConnect(c.port);
    client.write(
      'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n',
    );
    await client.waitFor('\r\n\r\n');
    expect(rawStatus(client.received())).toBe(413);
    expect(await client.closed).toBeLessThan(2_000);
    await expectStillServing();
  });

  it('a gzip bomb expanding to 1 GB: 413 within a second, memory bounded by the limit', async () => {
    const big = await serve({ maxBodyBytes: 2 << 20 });
    const member = zlib.gzipSync(Buffer.alloc(10 << 20));
    const bomb = Buffer.concat(Array.from({ length: 100 }, () => member)); // gzip members concatenate
    expect(bomb.length).toBeLessThan(2 << 20);
    global.gc?.();
    const before = process.memoryUsage();
    const started = Date.now();
    const reply = await postTraces(big.tracesUrl, bomb, 'protobuf', { 'content-encoding': 'gzip' });
    const elapsed = Date.now() - started;
    const after = process.memoryUsage();
    expect(reply.status).toBe(413);
    expect(decodeStatus(reply.body)).toEqual({
      code: 8,
      message: expect.stringContaining('decompressed body exceeds'),
    });
    expect(elapsed).toBeLessThan(1_000);
    expect(after.rss - before.rss).toBeLessThan(64 << 20);
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 << 20);
    const ok = await postTraces(big.tracesUrl, zlib.gzipSync(jsonBody(factory.trace3('after-bomb'))), 'json', {
      'content-encoding': 'gzip',
    });
    expect(ok.status).toBe(200);
  });

  it('attribute values nested 50,000 deep (JSON and protobuf): refused or rejected, never a 500', async () => {
    const deep = await serve({ maxBodyBytes: 4 << 20 });
    const json = await postTraces(deep.tracesUrl, deepJsonRequest(50_000), 'json');
    if (json.status === 200) {
      expect(Number(json.json<{ partialSuccess: { rejectedSpans: string } }>().partialSuccess.rejectedSpans)).toBe(1);
      expect(deep.records('unknown_service').observations.map((o) => o.name)).toEqual(['shallow']);
    } else expect(json.status).toBe(400);
    const ids = { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2) };
    const pb = await postTraces(deep.tracesUrl, deepProtobufRequest(50_000, ids), 'protobuf');
    if (pb.status === 200) {
      const response = ProtobufTraceSerializer.deserializeResponse(pb.body);
      expect(Number(response.partialSuccess?.rejectedSpans)).toBe(1);
    } else expect(pb.status).toBe(400);
    expect(deep.stats().errors[500]).toBeUndefined();
    await expectStillServing(deep);
  });

  it('counts refusals by status and never answered 500', () => {
    const errors = c.stats().errors;
    expect(errors[500]).toBeUndefined();
    expect(errors[400]).toBeGreaterThan(0);
    expect(errors[413]).toBeGreaterThan(0);
    expect(c.reporter.messages).toEqual([]);
  });
});

describe('bearer token', () => {
  let secured: TestCollector;
  beforeAll(async () => {
    secured = await serve({ token: 's3cret-token' });
  });
  const body = () => jsonBody(factory.trace3('authed'));

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token!' }],
    ['a token one character short', { authorization: 'Bearer s3cret-toke' }],
    ['another scheme', { authorization: 'Basic czNjcmV0LXRva2Vu' }],
    ['the bare token', { authorization: 's3cret-token' }],
  ])('%s → 401 with WWW-Authenticate, nothing stored', async (_name, headers) => {
    const traces = await postTraces(secured.tracesUrl, body(), 'json', headers);
    expect(traces.status).toBe(401);
    expect(traces.headers['www-authenticate']).toBe('Bearer');
    expect(traces.json()).toEqual({ code: 16, message: 'missing or wrong bearer token' });
    const pb = await postTraces(secured.tracesUrl, validProtobuf(), 'protobuf', headers);
    expect(pb.status).toBe(401);
    expect(decodeStatus(pb.body).code).toBe(16);
    const records = await postJson(secured.recordsUrl, recordBatch(), headers);
    expect(records.status).toBe(401);
    expect(records.headers['www-authenticate']).toBe('Bearer');
    expect(secured.stats().spans + secured.stats().batches).toBe(0);
  });

  it('the right token is accepted on both endpoints; /health needs none', async () => {
    const auth = { authorization: 'Bearer s3cret-token' };
    expect((await postTraces(secured.tracesUrl, body(), 'json', auth)).status).toBe(200);
    expect((await postJson(secured.recordsUrl, recordBatch({ serviceName: 'hostile' }), auth)).status).toBe(200);
    const health = await request(`${secured.url}/health`, { method: 'GET' });
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    expect(secured.records('hostile').traces).toHaveLength(2);
  });
});
