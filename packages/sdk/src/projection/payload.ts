import type { JsonValue } from '@fluxloop/contract';
import type { AttributeValue } from './snapshot.js';

/**
 * A payload that is already JSON text. Inputs and outputs arrive on spans as JSON text (the wrapper serialized
 * and redacted them on the caller's thread); keeping the text lets the record encoder splice it into the line
 * instead of parsing and re-serializing kilobytes per span. `toJSON` keeps `JSON.stringify(record)` correct.
 */
export class JsonText {
  constructor(readonly text: string) {}
  toJSON(): JsonValue {
    return JSON.parse(this.text) as JsonValue;
  }
}

export type Payload = JsonText | JsonValue;

/**
 * Reads a JSON-text attribute. `trusted` text (written by this SDK's own serializer, which always emits valid
 * JSON) is kept as is; anything else is parsed to make sure a bad attribute can never corrupt a JSONL line, and
 * kept as a plain string when it is not JSON.
 */
export function jsonPayload(value: AttributeValue | undefined, trusted: boolean): Payload | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return value as JsonValue;
  if (trusted) return new JsonText(value);
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

/** Reads a payload attribute that is plain text unless its mime type says JSON (OpenInference's input.value). */
export function textPayload(
  value: AttributeValue | undefined,
  mimeType: AttributeValue | undefined,
): Payload | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && mimeType === 'application/json') return jsonPayload(value, false);
  return value as JsonValue;
}

/** JSON text of a payload, for the record encoder. */
export function payloadText(payload: Payload): string {
  return payload instanceof JsonText ? payload.text : JSON.stringify(payload);
}

/** The plain value of a payload, for in-memory consumers. */
export function payloadValue(payload: Payload): JsonValue {
  return payload instanceof JsonText ? payload.toJSON() : payload;
}
