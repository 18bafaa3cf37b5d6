import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';

/** A request the collector refuses: the HTTP status and a message for the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body up to `maxBytes`, decompressing gzip with the same bound on the output (a small gzip body
 * can expand to gigabytes). Rejects with 413 past the bound, 415 for an encoding other than gzip or identity,
 * 400 for a corrupt gzip stream.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new HttpError(415, `unsupported Content-Encoding "${encoding}": send gzip or no encoding`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, `body of ${declared} bytes exceeds the limit of ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, `body exceeds the limit of ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  if (encoding === 'identity') return raw;
  return new Promise<Buffer>((resolve, reject) => {
    zlib.gunzip(raw, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) resolve(out);
      else if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        reject(new HttpError(413, `decompressed body exceeds the limit of ${maxBytes} bytes`));
      } else reject(new HttpError(400, `corrupt gzip body: ${err.message}`));
    });
  });
}
