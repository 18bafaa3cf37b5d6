import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CONTENT_TYPE,
  decodeJson,
  decodeProtobuf,
  exportResponse,
  HttpError,
  OtlpDecodeError,
  type OtlpEncoding,
  RpcCode,
  readBody,
  statusBody,
} from '@fluxloop/collector';
import { UserError } from '../../errors.js';
import type { OtlpReceiver, SpanSink } from '../types.js';

export interface OtlpReceiverOptions {
  /** 0 picks a free port; a fixed one comes from --otlp-port or runner.otlp_port. */
  port: number;
  /** Default 127.0.0.1: the receiver is for this machine's targets only. */
  host?: string;
  /** Decoded spans of every accepted request, in arrival order. */
  onSpans: SpanSink;
  /** Largest request body, compressed or decompressed. Default 16 MiB, as in the collector. */
  maxBodyBytes?: number;
}

const OTLP_TYPES: Record<string, OtlpEncoding> = {
  'application/json': 'json',
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
};

const TRACES_PATH = '/v1/traces';

/**
 * The experiment's loopback OTLP/HTTP receiver: POST /v1/traces in JSON or protobuf (optionally gzip), answered
 * exactly as the FluxLoop collector answers (its decoder, body limits and response bodies are reused), with the
 * decoded spans handed to `onSpans`. It writes nothing itself: the orchestrator routes spans to runs.
 *
 * `stats().rejected` counts what did not reach `onSpans`: requests refused with an error status plus invalid spans
 * left out of accepted requests (which the client is told about as OTLP partial success).
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const host = options.host ?? '127.0.0.1';
  const stats = { requests: 0, spans: 0, rejected: 0 };
  let closing = false;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.requests++;
    const url = (req.url ?? '/').split('?')[0];
    if (url !== TRACES_PATH) throw new HttpError(404, `no such endpoint ${url}: POST ${TRACES_PATH}`);
    if (req.method !== 'POST') throw new HttpError(405, `use POST ${TRACES_PATH}`);
    const encoding = OTLP_TYPES[contentType(req)];
    if (!encoding) {
      throw new HttpError(415, `Content-Type "${contentType(req)}": send application/json or application/x-protobuf`);
    }
    const body = await readBody(req, maxBody);
    const decoded = encoding === 'json' ? decodeJson(body.toString('utf8')) : decodeProtobuf(body);
    if (decoded.spans.length > 0) options.onSpans(decoded.spans);
    stats.spans += decoded.spans.length;
    stats.rejected += decoded.rejected;
    send(res, 200, CONTENT_TYPE[encoding], exportResponse(encoding, decoded.rejected, decoded.errors.join('; ')));
  }

  function send(res: http.ServerResponse, status: number, type: string, body: Buffer, extra = {}): void {
    if (res.headersSent) return;
    // While stopping, answer what is under way and let the connection go, so no exporter can keep it open.
    const connection = closing ? { connection: 'close' } : {};
    res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...extra, ...connection });
    res.end(body);
  }

  function refuse(req: http.IncomingMessage, res: http.ServerResponse, err: unknown): void {
    stats.rejected++;
    let status = 500;
    // The sink is the orchestrator's code: its failure is not the client's fault, and its message stays private.
    let message = 'internal error';
    if (err instanceof HttpError) ({ status, message } = err);
    else if (err instanceof OtlpDecodeError) [status, message] = [400, err.message];
    const encoding: OtlpEncoding = OTLP_TYPES[contentType(req)] === 'protobuf' ? 'protobuf' : 'json';
    const code =
      status === 413 ? RpcCode.resourceExhausted : status === 500 ? RpcCode.unavailable : RpcCode.invalidArgument;
    const headers: Record<string, string> = status === 405 ? { allow: 'POST' } : {};
    // A refused body may still be arriving: answer, then close rather than read the rest.
    if (!req.complete) headers.connection = 'close';
    send(res, status, CONTENT_TYPE[encoding], statusBody(encoding, code, message), headers);
    if (!req.complete) req.destroy();
  }

  const server = http.createServer(
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      handle(req, res).catch((err: unknown) => refuse(req, res, err));
    },
  );
  await listen(server, options.port, host);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    stats: () => ({ ...stats }),
    close() {
      closing = true;
      // server.close() resolves once the requests in flight have been answered and their connections closed.
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

function contentType(req: http.IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new UserError(
            `the OTLP receiver cannot listen on ${host}:${port}: port ${port} is in use. ` +
              'Choose another port with --otlp-port (or runner.otlp_port), or 0 for a free one',
          ),
        );
      } else if (err.code === 'EACCES') {
        reject(
          new UserError(
            `the OTLP receiver may not listen on ${host}:${port} (permission denied): ` +
              'choose a port above 1023 with --otlp-port (or runner.otlp_port), or 0 for a free one',
          ),
        );
      } else reject(err);
    });
    server.listen(port, host, () => resolve());
  });
}
