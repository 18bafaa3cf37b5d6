import type http from 'node:http';
import type { HttpTarget } from '../../../project/types.js';
import { RemoteRunError } from '../run-error.js';
import { lookupPath, type OutputPath } from './output-path.js';
import { type SseEvent, SseParser } from './sse-parser.js';

/** How much of an unexpected body an error message quotes. */
const QUOTED_CHARS = 500;

export interface ResponseReading {
  format: HttpTarget['response']['format'];
  outputPath: OutputPath | undefined;
  doneMarker: string;
  onDelta: ((text: string) => void) | undefined;
  /** Masks secrets in anything quoted from the response. */
  scrub(text: string): string;
}

/** The run's output from a 2xx response, read as the configured format. */
export async function readOutput(res: http.IncomingMessage, reading: ResponseReading): Promise<unknown> {
  if (reading.format === 'text') return readText(res);
  if (reading.format === 'sse') return readEventStream(res, reading);
  const text = await readText(res);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new RemoteRunError(
      `the response is not JSON (response.format is json; content-type ${contentType(res) || 'not set'}): ` +
        quote(text, reading.scrub),
    );
  }
  if (!reading.outputPath) return document;
  const found = lookupPath(document, reading.outputPath);
  if (!found.found)
    throw new RemoteRunError(`response.output_path "${reading.outputPath.join('.')}": ${found.problem}`);
  return found.value;
}

/** Status line and the start of the body of a non-2xx response, secrets masked. */
export async function describeFailure(res: http.IncomingMessage, scrub: (text: string) => string): Promise<string> {
  const text = await readText(res, QUOTED_CHARS * 4);
  const body = text.trim() ? `: ${quote(text, scrub)}` : ' (empty body)';
  return `HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd() + body;
}

export async function readText(res: http.IncomingMessage, limit = Number.POSITIVE_INFINITY): Promise<string> {
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) {
    text += chunk as string;
    if (text.length >= limit) {
      res.destroy();
      break;
    }
  }
  return text;
}

/**
 * Concatenates the pieces of a text/event-stream: each event's data is JSON (or plain text when no output_path is
 * set), the piece is the string at output_path (events without it, such as a role-only first chunk, add nothing),
 * until an event whose data is the done marker or the end of the stream. An `error` event fails the run.
 */
async function readEventStream(res: http.IncomingMessage, reading: ResponseReading): Promise<string> {
  const type = contentType(res);
  if (type !== 'text/event-stream') {
    const body = await readText(res, QUOTED_CHARS * 4);
    throw new RemoteRunError(
      `expected a text/event-stream response (response.format is sse) but the content-type is ` +
        `${type || 'not set'}: ${quote(body, reading.scrub)}`,
    );
  }
  const parser = new SseParser();
  const stream = { output: '', matchedEvents: 0, lastMiss: '' };
  res.setEncoding('utf8');
  for await (const chunk of res) {
    for (const event of parser.push(chunk as string)) {
      if (event.data.trim() === reading.doneMarker) {
        // The server may hold the connection open after the marker: drop it rather than wait.
        res.destroy();
        return finish(stream, reading);
      }
      take(event, stream, reading);
    }
  }
  parser.end();
  return finish(stream, reading);
}

interface StreamState {
  output: string;
  matchedEvents: number;
  lastMiss: string;
}

function take(event: SseEvent, stream: StreamState, reading: ResponseReading): void {
  if (event.event === 'error') {
    throw new RemoteRunError(`the event stream sent an error event: ${reading.scrub(errorText(event.data))}`);
  }
  const piece = pieceOf(event, reading, stream);
  if (piece === undefined) return;
  stream.matchedEvents++;
  if (piece.length === 0) return;
  stream.output += piece;
  reading.onDelta?.(piece);
}

function pieceOf(event: SseEvent, reading: ResponseReading, stream: StreamState): string | undefined {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    if (!reading.outputPath) return event.data;
    throw new RemoteRunError(
      `an event's data is not JSON, so response.output_path cannot be applied: ${quote(event.data, reading.scrub)}`,
    );
  }
  if (!reading.outputPath) return typeof data === 'string' ? data : event.data;
  const found = lookupPath(data, reading.outputPath);
  if (!found.found) {
    stream.lastMiss = found.problem;
    return undefined;
  }
  if (found.value === null || found.value === undefined) return undefined;
  if (typeof found.value === 'object') {
    throw new RemoteRunError(
      `response.output_path "${reading.outputPath.join('.')}" is an ${Array.isArray(found.value) ? 'array' : 'object'} ` +
        'in an event, but the pieces of a stream must be strings',
    );
  }
  return String(found.value);
}

/** A stream with events in which output_path never matched is a misconfigured path, not an empty answer. */
function finish(stream: StreamState, reading: ResponseReading): string {
  if (reading.outputPath && stream.matchedEvents === 0 && stream.lastMiss) {
    throw new RemoteRunError(
      `response.output_path "${reading.outputPath.join('.')}" matched no event of the stream; in the last one, ${stream.lastMiss}`,
    );
  }
  return stream.output;
}

/** The message of an error event: `{"error":{"message"}}`, `{"message"}`, `{"error":"..."}` or the raw data. */
function errorText(data: string): string {
  try {
    const parsed = JSON.parse(data) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: the data is the message.
  }
  return data;
}

function contentType(res: http.IncomingMessage): string {
  return (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The start of a body for an error message; masked before it is cut, so no secret survives half-cut. */
function quote(text: string, scrub: (text: string) => string): string {
  const masked = scrub(text);
  return JSON.stringify(masked.length > QUOTED_CHARS ? `${masked.slice(0, QUOTED_CHARS)}…` : masked);
}
