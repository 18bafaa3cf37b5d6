import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  url: string;
  requests: ReceivedRequest[];
  /** TCP connections accepted so far: with keep-alive, far fewer than requests. */
  connections(): number;
  close(): Promise<void>;
}

export type Handler = (req: ReceivedRequest, res: http.ServerResponse, raw: http.IncomingMessage) => void;

const servers = new Set<http.Server>();

afterEach(async () => {
  await Promise.all(
    [...servers].map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
  servers.clear();
});

/** A real HTTP server on 127.0.0.1 (a free port) that records each request, its body read, before `handler`. */
export async function httpServer(handler: Handler): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  let connections = 0;
  const server = http.createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const req = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(req);
      handler(req, res, raw);
    });
  });
  server.on('connection', () => connections++);
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        servers.delete(server);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(res: http.ServerResponse, value: unknown, status = 200): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Answers with an event stream written in the given pieces (each one write), then ends it unless `keepOpen`. */
export function sendEvents(res: http.ServerResponse, pieces: string[], keepOpen = false): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  for (const piece of pieces) res.write(piece);
  if (!keepOpen) res.end();
}
