import type { Span } from '@opentelemetry/api';
import type { ActiveSdk } from '../runtime/registry.js';
import * as A from '../semconv.js';

const KEYS = {
  input: [A.FLUXLOOP_INPUT, A.FLUXLOOP_INPUT_MIME_TYPE, A.OPENINFERENCE_INPUT_VALUE, 'input.mime_type'],
  output: [A.FLUXLOOP_OUTPUT, A.FLUXLOOP_OUTPUT_MIME_TYPE, A.OPENINFERENCE_OUTPUT_VALUE, 'output.mime_type'],
} as const;

/**
 * Sets a captured payload (already redacted and bounded by the capture policy) on a span: as fluxloop.input /
 * fluxloop.output, and, when payload mirroring is on, also as OpenInference's input.value / output.value with
 * their mime type, the names Langfuse and Phoenix display. `text` is a plain string, `json` JSON text.
 */
export function setPayload(
  span: Span,
  sdk: ActiveSdk,
  which: 'input' | 'output',
  payload: { text: string } | { json: string },
): void {
  const [key, mimeKey, mirrorKey, mirrorMimeKey] = KEYS[which];
  if ('text' in payload) {
    span.setAttribute(key, payload.text);
    span.setAttribute(mimeKey, A.MIME_TEXT);
  } else span.setAttribute(key, payload.json);
  if (sdk.mirrorPayloads) {
    span.setAttribute(mirrorKey, 'text' in payload ? payload.text : payload.json);
    span.setAttribute(mirrorMimeKey, 'text' in payload ? A.MIME_TEXT : 'application/json');
  }
}
