import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { SpanSnapshot } from '@fluxloop/sdk/projection';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../../../../collector/test/helpers/http.js';
import { UserError } from '../../../src/errors.js';
import { startOtlpReceiver } from '../../../src/runner/remote/index.js';
import type { OtlpReceiver } from '../../../src/runner/types.js';
import { waitUntil } from './helpers/wait.js';

const receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A receiver on a free port that keeps every span it hands over. */
async function receiver(options: { maxBodyBytes?: number } = {}) {
  const received: SpanSnapshot[] = [];
  const r = await startOtlpReceiver({ port: 0, onSpans: (spans) => received.push(...spans), ...options });
  receivers.push(r);
  return Object.assign(r, { received });
}

const REMOTE = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

/**
 * An agent run made with the real OTel SDK under a remote parent (what a process target does with TRACEPARENT),
 * exported by `exporter`; returns the spans as the SDK itself saw them.
 */
async function exportRun(exporter: SpanExporter): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'remote-agent' }),
    spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('test-agent');
  const parent = trace.setSpanContext(ROOT_CONTEXT, { ...REMOTE, traceFlags: TraceFlags.SAMPLED, isRemote: true });
  const root = tracer.startSpan('agent', {}, parent);
  const tool = tracer.startSpan('tool', { attributes: { 'gen_ai.tool.name': 'search' } }, trace.setSpan(parent, root));
  tool.end();
  root.end();
  await provider.forceFlush();
  // Shutting down clears the in-memory exporter: take its spans first.
  const finished = memory.getFinishedSpans();
  await provider.shutdown();
  return finished;
}

/** Identity and lineage of a span, the same shape from either side. */
const lineage = (s: { name: string; traceId: string; spanId: string; parentSpanId?: string | undefined }) => ({
  name: s.name,
  traceId: s.traceId,
  spanId: s.spanId,
  parentSpanId: s.parentSpanId,
});
const sdkLineage = (s: ReadableSpan) =>
  lineage({ ...s.spanContext(), name: s.name, parentSpanId: s.parentSpanContext?.spanId });

describe('spans from the official OTLP exporters', () => {
  it.each([
    ['OTLP/HTTP JSON', (url: string) => new JsonExporter({ url })],
    [
      'OTLP/HTTP protobuf, gzip',
      (url: string) => new ProtobufExporter({ url, compression: CompressionAlgorithm.GZIP }),
    ],
  ])('%s arrive decoded with their trace ids and parents', async (_name, exporter) => {
    const r = await receiver();
    const sent = await exportRun(exporter(`${r.url}/v1/traces`));
    // SimpleSpanProcessor sends each span in a request of its own, at once: they may arrive in either order.
    const byName = <T extends { name: string }>(spans: T[]) => [...spans].sort((a, b) => a.name.localeCompare(b.name));
    expect(byName(r.received).map(lineage)).toEqual(byName(sent).map(sdkLineage));
    expect(byName(r.received).map((s) => [s.name, s.parentIsRemote === true, s.resource['service.name']])).toEqual([
      ['agent', true, 'remote-agent'],
      ['tool', false, 'remote-agent'],
    ]);
    expect(r.stats()).toEqual({ requests: 2, spans: 2, rejected: 0 });
  });

  it('listens on 127.0.0.1 and reports its url', async () => {
    const r = await receiver();
    expect(r.url).toBe(`http://127.0.0.1:${r.port}`);
  });
});

const span = (traceId: string) => ({
  traceId,
  spanId: '00f067aa0ba902b7',
  name: 'work',
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000000100000000',
});
const otlpJson = (...spans: unknown[]) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
const post = (url: string, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST') =>
  request(`${url}/v1/traces`, { method, body, headers: { 'content-type': 'application/json', ...headers } });

describe('answers as the collector does', () => {
  it('refuses bad requests with 4xx and an OTLP status body, and keeps serving', async () => {
    const r = await receiver({ maxBodyBytes: 1024 });
    const replies = [
      await post(r.url, otlpJson(span(REMOTE.traceId)), { 'content-type': 'text/plain' }),
      await post(r.url, '{"resourceSpans": nope'),
      await post(r.url, Buffer.from([0xff, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' }),
      await post(r.url, 'x'.repeat(2048)),
      await post(r.url, gzipSync('x'.repeat(4096)), { 'content-encoding': 'gzip' }),
      await post(r.url, '{}', { 'content-encoding': 'br' }),
      await request(`${r.url}/v1/metrics`, { body: '{}', headers: { 'content-type': 'application/json' } }),
      await request(`${r.url}/v1/traces`, { method: 'GET' }),
    ];
    expect(replies.map((reply) => reply.status)).toEqual([415, 400, 400, 413, 413, 415, 404, 405]);
    expect(replies[0]!.json()).toEqual({
      code: 3,
      message: 'Content-Type "text/plain": send application/json or application/x-protobuf',
    });
    expect(replies[3]!.json()).toEqual({ code: 8, message: 'body of 2048 bytes exceeds the limit of 1024' });
    const good = await post(r.url, otlpJson(span(REMOTE.traceId)));
    expect([good.status, good.json()]).toEqual([200, {}]);
    expect(r.received.map((s) => s.traceId)).toEqual([REMOTE.traceId]);
    expect(r.stats()).toEqual({ requests: 9, spans: 1, rejected: 8 });
  });

  it('hands over the valid spans of a request and reports the invalid ones as partial success', async () => {
    const r = await receiver();
    const reply = await post(r.url, otlpJson(span(REMOTE.traceId), span('not-hex')));
    expect([reply.status, reply.json()]).toEqual([
      200,
      {
        partialSuccess: {
          rejectedSpans: '1',
          errorMessage: 'resourceSpans[0].scopeSpans[0].spans[1]: traceId: expected 16 bytes as 32 hex digits',
        },
      },
    ]);
    expect(r.received.map((s) => s.traceId)).toEqual([REMOTE.traceId]);
    expect(r.stats()).toEqual({ requests: 1, spans: 1, rejected: 1 });
  });

  it('answers 500 without details when the span sink throws, and keeps serving', async () => {
    let calls = 0;
    const r = await startOtlpReceiver({
      port: 0,
      onSpans: () => {
        calls++;
        if (calls === 1) throw new Error('secret internals');
      },
    });
    receivers.push(r);
    const first = await post(r.url, otlpJson(span(REMOTE.traceId)));
    const second = await post(r.url, otlpJson(span(REMOTE.traceId)));
    expect([first.status, first.json(), second.status]).toEqual([500, { code: 14, message: 'internal error' }, 200]);
  });
});

describe('ports and shutdown', () => {
  it('says which port is taken and how to choose another', async () => {
    const first = await receiver();
    const taken = startOtlpReceiver({ port: first.port, onSpans: () => {} });
    await expect(taken).rejects.toThrow(UserError);
    await expect(taken).rejects.toThrow(
      `the OTLP receiver cannot listen on 127.0.0.1:${first.port}: port ${first.port} is in use. ` +
        'Choose another port with --otlp-port (or runner.otlp_port), or 0 for a free one',
    );
  });

  it('close() waits for the request in flight and answers it, refusing new connections meanwhile', async () => {
    const r = await receiver();
    const events: string[] = [];
    const body = otlpJson(span(REMOTE.traceId));
    const req = http.request(`${r.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
    // Half the body: the request is in flight once the server has seen its headers.
    await new Promise<void>((resolve) => req.write(body.slice(0, 20), () => resolve()));
    await waitUntil(() => r.stats().requests === 1);
    const closed = r.close().then(() => events.push('closed'));
    await expect(post(r.url, '{}')).rejects.toThrow(/ECONNREFUSED/);
    events.push('rest of the body sent');
    req.end(body.slice(20));
    expect(await answered).toBe(200);
    await closed;
    expect(events).toEqual(['rest of the body sent', 'closed']);
    expect(r.received.map((s) => s.traceId)).toEqual([REMOTE.traceId]);
  });
});
