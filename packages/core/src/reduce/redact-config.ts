import type { JsonObject } from '@fluxloop/contract';
import { Redactor, toJsonText } from '@fluxloop/sdk/capture';

/**
 * The configuration as summary.json shows it: every value under a sensitive key (authorization, api_key, token,
 * password, ...) replaced by a redaction marker, and secrets recognised by their shape (bearer tokens, provider
 * API keys, ...) masked inside any other string. The SDK's Redactor does both, with the rules it applies to
 * captured content.
 */
export function redactConfig(config: Record<string, unknown>, redactor: Redactor = new Redactor()): JsonObject {
  const text = toJsonText(config, {
    redactor,
    maxLength: Number.POSITIVE_INFINITY,
    maxItems: Number.MAX_SAFE_INTEGER,
  });
  return JSON.parse(text) as JsonObject;
}
