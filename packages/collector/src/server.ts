import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateRecordBatch } from '@fluxloop/contract/validate';
import { ConsoleReporter, type Reporter } from '@fluxloop/sdk';
import { HttpError, readBody } from './body.js';
import { Ingestor } from './ingest.js';
import { decodeJson, decodeProtobuf, OtlpDecodeError } from './otlp/decode.js';
import { CONTENT_TYPE, exportResponse, type OtlpEncoding, RpcCode, statusBody } from './otlp/response.js';

export interface CollectorOptions {
  /** Folder of the per-service record folders. */
  outputDir: string;
  /** Default 127.0.0.1: the collector is not exposed beyond this machine unless asked. */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** When set, every request but GET /health needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest request body, compressed or decompressed. Default 16 MiB. */
  maxBodyBytes?: number;
  /** A client must send its headers within this. Default 10 s. */
  headersTimeoutMs?: number;
  /** A client must send its whole request within this (slow bodies). Default 30 s. */
  requestTimeoutMs?: number;
  reporter?: Reporter;
}

export interface CollectorStats {
  requests: number;
  spans: number;
  rejectedSpans: number;
  duplicateSpans: number;
  batches: number;
  duplicateBatches: number;
  errors: Record<number, number>;
}

export interface RunningCollector {
  /** http://host:port */
  url: string;
  port: number;
  stats(): CollectorStats;
  /** Stops accepting, finishes requests under way, writes everything and closes the files. */
  close(): Promise<void>;
}

const OTLP_TYPES: Record<string, OtlpEncoding> = {
  'application/json': 'json',
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
};

/**
 * The FluxLoop collector: OTLP/HTTP (JSON and protobuf, gzip) at POST /v1/traces, the SDK's HTTP storage at
 * POST /v1/fluxloop/records (batch_id as idempotency key), GET /health. Every refusal carries a status and a
 * message that says what was wrong; the server keeps serving whatever a request contains.
 */
export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const maxBody = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const reporter = options.reporter ?? new ConsoleReporter();
  const ingestor = new Ingestor({ outputDir: options.outputDir, reporter });
  const stats: CollectorStats = {
    requests: 0,
    spans: 0,
    rejectedSpans: 0,
    duplicateSpans: 0,
    batches: 0,
    duplicateBatches: 0,
    errors: {},
  };
  const token = options.token ? Buffer.from(options.token) : undefined;

  /** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235), the token compared in constant time. */
  const authorized = (req: http.IncomingMessage): boolean => {
    if (!token) return true;
    const match = /^bearer[ \t]+(.+)$/i.exec(req.headers.authorization ?? '');
    const given = Buffer.from(match?.[1]?.trim() ?? '');
    return given.length === token.length && timingSafeEqual(given, token);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.requests++;
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET /health');
      return send(res, 200, 'application/json', Buffer.from('{"status":"ok"}'));
    }
    if (url !== '/v1/traces' && url !== '/v1/fluxloop/records') {
      throw new HttpError(404, `no such endpoint ${url}: POST /v1/traces, POST /v1/fluxloop/records, GET /health`);
    }
    if (req.method !== 'POST') throw new HttpError(405, `use POST ${url}`);
    if (!authorized(req)) throw new HttpError(401, 'missing or wrong bearer token');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (url === '/v1/traces') {
      const encoding = OTLP_TYPES[type];
      if (!encoding)
        throw new HttpError(415, `Content-Type "${type}": send application/json or application/x-protobuf`);
      const body = await readBody(req, maxBody);
      const decoded = encoding === 'json' ? decodeJson(body.toString('utf8')) : decodeProtobuf(body);
      const before = ingestor.duplicateSpans;
      stats.spans += ingestor.ingestSpans(decoded.spans);
      stats.duplicateSpans += ingestor.duplicateSpans - before;
      stats.rejectedSpans += decoded.rejected;
      return send(
        res,
        200,
        CONTENT_TYPE[encoding],
        exportResponse(encoding, decoded.rejected, decoded.errors.join('; ')),
      );
    }
    if (type !== 'application/json') throw new HttpError(415, `Content-Type "${type}": send application/json`);
    const body = await readBody(req, maxBody);
    let batch: unknown;
    try {
      batch = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw new HttpError(400, `invalid JSON: ${(err as Error).message}`);
    }
    const check = validateRecordBatch(batch);
    if (!check.valid) throw new HttpError(400, `invalid record batch: ${check.errors.slice(0, 5).join('; ')}`);
    const { batch_id, service_name, traces, observations } = batch as {
      batch_id: string;
      service_name?: string;
      traces: unknown[];
      observations: unknown[];
    };
    const stored = ingestor.ingestRecords(batch_id, service_name, traces, observations);
    if (stored) stats.batches++;
    else stats.duplicateBatches++;
    return send(res, 200, 'application/json', Buffer.from(JSON.stringify({ batch_id, stored, duplicate: !stored })));
  }

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  let closing = false;
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: 5_000,
      // Node checks the two timeouts above only this often (30 s by default): check well within them.
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, headersTimeout / 2, requestTimeout / 2)),
    },
    (req, res) => {
      handle(req, res).catch((err: unknown) => refuse(req, res, err));
    },
  );

  function send(
    res: http.ServerResponse,
    status: number,
    type: string,
    body: Buffer,
    headers: Record<string, string> = {},
  ): void {
    if (res.headersSent) return;
    // While stopping, answer what is under way and let the connection go, so no client can keep it open.
    const connection = closing ? { connection: 'close' } : {};
    res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...headers, ...connection });
    res.end(body);
  }

  function refuse(req: http.IncomingMessage, res: http.ServerResponse, err: unknown): void {
    let status = 500;
    let message = 'internal error';
    if (err instanceof HttpError) ({ status, message } = err);
    else if (err instanceof OtlpDecodeError) [status, message] = [400, err.message];
    else reporter.warn(`collector:${(err as Error)?.name}`, `collector error: ${(err as Error)?.message ?? err}`);
    stats.errors[status] = (stats.errors[status] ?? 0) + 1;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const encoding: OtlpEncoding =
      OTLP_TYPES[type] === 'protobuf' && req.url?.startsWith('/v1/traces') ? 'protobuf' : 'json';
    const code =
      status === 401 ? RpcCode.unauthenticated : status === 413 ? RpcCode.resourceExhausted : RpcCode.invalidArgument;
    const headers: Record<string, string> = {};
    if (status === 401) headers['www-authenticate'] = 'Bearer';
    if (status === 405) headers.allow = req.url?.startsWith('/health') ? 'GET, HEAD' : 'POST';
    // A refused body may still be arriving: answer, then close rather than read the rest.
    if (!req.complete) headers.connection = 'close';
    send(res, status, CONTENT_TYPE[encoding], statusBody(encoding, code, message), headers);
    if (!req.complete) req.destroy();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8000, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    stats: () => ({ ...stats, errors: { ...stats.errors } }),
    close() {
      closing = true;
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }).then(() => ingestor.close());
      return closed;
    },
  };
}
