import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, serve, type TestCollector } from './helpers/collector.js';
import { postTraces, type RawClient, rawConnect, rawStatus } from './helpers/http.js';
import { jsonBody, SpanFactory } from './helpers/otlp.js';

const HEADERS_TIMEOUT = 300;
const REQUEST_TIMEOUT = 600;
/** Slack for timers and scheduling on a busy machine. */
const SLACK = 1_000;

let c: TestCollector;
const factory = new SpanFactory('slow');
const open: { client: RawClient; timer: NodeJS.Timeout }[] = [];

beforeAll(async () => {
  c = await serve({ headersTimeoutMs: HEADERS_TIMEOUT, requestTimeoutMs: REQUEST_TIMEOUT });
});
afterEach(() => {
  for (const { client, timer } of open.splice(0)) {
    clearInterval(timer);
    client.socket.destroy();
  }
});
afterAll(cleanup);

/** Writes `piece` every `everyMs` for as long as the connection is open. */
async function trickle(first: string, piece: string, everyMs: number): Promise<RawClient> {
  const client = await rawConnect(c.port);
  client.write(first);
  const timer = setInterval(() => client.write(piece), everyMs);
  open.push({ client, timer });
  return client;
}

/** Resolves with ms to close, or undefined when the connection is still open after `ms`. */
function closedWithin(client: RawClient, ms: number): Promise<number | undefined> {
  return Promise.race([client.closed, new Promise<undefined>((resolve) => setTimeout(resolve, ms))]);
}

describe('slow clients are cut off by the configured timeouts', () => {
  it('a client that sends headers, then trickles its body slower than requestTimeout: 408 or closed in time', async () => {
    const client = await trickle(
      'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
      ' ',
      100,
    );
    const ms = await closedWithin(client, REQUEST_TIMEOUT + SLACK);
    expect(ms, `still open ${REQUEST_TIMEOUT + SLACK} ms after connecting`).toBeDefined();
    const status = rawStatus(client.received());
    if (status !== undefined) expect(status).toBe(408);
  });

  it('a client that never finishes its headers: closed after headersTimeout', async () => {
    const client = await trickle('POST /v1/traces HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n', 50);
    const ms = await closedWithin(client, HEADERS_TIMEOUT + SLACK);
    expect(ms, `still open ${HEADERS_TIMEOUT + SLACK} ms after connecting`).toBeDefined();
  });

  it('a body that arrives in pieces within requestTimeout is accepted', async () => {
    const body = Buffer.from(jsonBody(factory.trace3('in-pieces')));
    const client = await rawConnect(c.port);
    client.write(
      `POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const third = Math.ceil(body.length / 3);
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 60));
      client.write(body.subarray(i * third, (i + 1) * third));
    }
    await client.waitFor('\r\n\r\n{}');
    expect(rawStatus(client.received())).toBe(200);
    client.socket.destroy();
    expect(c.records('slow').observations).toHaveLength(3);
  });

  it('other clients are served while slow ones hang on', async () => {
    await trickle(
      'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
      ' ',
      100,
    );
    await trickle('POST /v1/traces HTTP/1.1\r\n', 'X-Slow: 1\r\n', 100);
    const started = Date.now();
    const reply = await postTraces(c.tracesUrl, jsonBody(factory.trace3('meanwhile')), 'json');
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
