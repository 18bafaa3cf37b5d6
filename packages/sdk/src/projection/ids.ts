/**
 * Span events have no id of their own. An event observation gets one derived from its span id and index, so the
 * SDK and the collector derive the same id for the same event (re-sends stay idempotent).
 */
export function deriveEventId(spanId: string, index: number): string {
  const input = `${spanId}:${index}`;
  // Two independent 32-bit FNV-1a hashes give 64 bits without BigInt.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 15);
  }
  const id = (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  // An all-zero span id is invalid in OTel.
  return id === '0000000000000000' ? '0000000000000001' : id;
}
