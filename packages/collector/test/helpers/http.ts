import http from 'node:http';
import net from 'node:net';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body as JSON (throws when it is not). */
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string | number>;
  /** Sent with Content-Length. */
  body?: Uint8Array | string;
  /** Sent one write each, without Content-Length (chunked transfer encoding). */
  chunks?: Uint8Array[];
  agent?: http.Agent;
}

/**
 * One HTTP request with Node's client; resolves with the whole reply. A reply that arrives while the body is
 * still being written (an early 413 or 401) counts: errors after a response has arrived are ignored.
 */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
    const headers: Record<string, string | number> = { ...(options.headers ?? {}) };
    if (body && !options.chunks) headers['content-length'] = body.length;
    const req = http.request(url, { method: options.method ?? 'POST', headers, agent: options.agent });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const data = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: data,
          json: <T>() => JSON.parse(data.toString('utf8')) as T,
        });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (options.chunks) {
      const write = (i: number): void => {
        if (i >= options.chunks!.length || req.destroyed) {
          req.end();
          return;
        }
        req.write(options.chunks![i], () => setImmediate(() => write(i + 1)));
      };
      write(0);
    } else req.end(body);
  });
}

export const JSON_TYPE = { 'content-type': 'application/json' };
export const PROTOBUF_TYPE = { 'content-type': 'application/x-protobuf' };

/** POST an OTLP/JSON or protobuf body. */
export function postTraces(
  url: string,
  body: Uint8Array | string,
  encoding: 'json' | 'protobuf',
  headers: Record<string, string> = {},
): Promise<Reply> {
  return request(url, { body, headers: { ...(encoding === 'json' ? JSON_TYPE : PROTOBUF_TYPE), ...headers } });
}

export function postJson(url: string, value: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(url, { body: JSON.stringify(value), headers: { ...JSON_TYPE, ...headers } });
}

/** A raw TCP connection, for clients no well-behaved HTTP library would be: slow, half-sent, never finished. */
export interface RawClient {
  socket: net.Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves when the server closed the connection (or it errored): ms since connect. */
  closed: Promise<number>;
  /** Resolves once `text` has been received. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  write(data: string | Uint8Array): void;
}

export function rawConnect(port: number, host = '127.0.0.1'): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, host);
    let data = '';
    const waiters: (() => void)[] = [];
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data += d;
      for (const w of waiters.splice(0)) w();
    });
    const closed = new Promise<number>((done) => {
      socket.on('close', () => {
        done(Date.now() - started);
        for (const w of waiters.splice(0)) w();
      });
    });
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        closed,
        write: (chunk) => {
          if (!socket.destroyed) socket.write(chunk);
        },
        waitFor: (text, timeoutMs = 5_000) =>
          new Promise<string>((ok, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`timed out waiting for ${String(text)}; got ${JSON.stringify(data)}`)),
              timeoutMs,
            );
            const check = () => {
              if (typeof text === 'string' ? data.includes(text) : text.test(data)) {
                clearTimeout(timer);
                ok(data);
              } else if (socket.destroyed) {
                clearTimeout(timer);
                fail(new Error(`connection closed before ${String(text)}; got ${JSON.stringify(data)}`));
              } else waiters.push(check);
            };
            check();
          }),
      }),
    );
    socket.once('error', reject);
  });
}

/** The status code of the first response in raw HTTP text, or undefined. */
export function rawStatus(text: string): number | undefined {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface Tap {
  /** Where clients send: forwarded unchanged to the target. */
  url: string;
  /** Method, path and headers of each request that passed. */
  seen: { method: string; path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/**
 * A pass-through proxy in front of the collector that remembers what each request looked like on the wire
 * (Content-Type, Content-Encoding), so a test can tell that a client really sent gzip or protobuf.
 */
export async function tap(targetUrl: string): Promise<Tap> {
  const target = new URL(targetUrl);
  const seen: Tap['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: req.method, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
