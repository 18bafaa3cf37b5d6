import { Redactor } from '@fluxloop/sdk/capture';

// Shorter values are too likely to occur in ordinary text to be masked everywhere they appear.
const MIN_SECRET_LENGTH = 4;

/**
 * Masks secrets in text that leaves a target (error messages, logs): the SDK's redaction rules (API key shapes,
 * bearer tokens, key=value assignments) plus the literal values of the environment variables that hold secrets
 * (their names say so: OPENAI_API_KEY, DB_PASSWORD, ...) and any value the caller marks as secret (HTTP header
 * values filled in from the environment).
 */
export class SecretScrubber {
  private readonly redactor = new Redactor();
  private readonly secrets: { value: string; marker: string }[] = [];

  constructor(env: Readonly<Record<string, string | undefined>>) {
    for (const [name, value] of Object.entries(env)) {
      if (value !== undefined && this.redactor.sensitiveKeyRule(name) !== undefined) this.add(name, value);
    }
  }

  /** Masks `value` wherever it appears, as `[REDACTED:<name>]`. */
  add(name: string, value: string): void {
    if (value.length < MIN_SECRET_LENGTH || this.secrets.some((s) => s.value === value)) return;
    this.secrets.push({ value, marker: `[REDACTED:${name}]` });
    // Longest first, so a secret that contains another is masked whole.
    this.secrets.sort((a, b) => b.value.length - a.value.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const { value, marker } of this.secrets) out = out.replaceAll(value, marker);
    return this.redactor.redactString(out);
  }
}
