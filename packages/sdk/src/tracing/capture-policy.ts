import { type RedactionRule, Redactor } from '../capture/redaction.js';
import { toJsonText } from '../capture/serialize.js';
import type { CaptureMode } from '../config/types.js';

/**
 * How much content a traced call records and how it is cleaned. Built once per configuration and shared by every
 * wrapper (and every SDK copy in the process), so each call only runs the serializer.
 *
 * - `full`: inputs and outputs as they are (truncated to maxChars).
 * - `redacted` (default): the same, with secrets masked by the ordered redaction rules.
 * - `none`: no inputs or outputs at all. Error messages are still recorded, redacted, because a trace without
 *   the error is useless, and metadata and event attributes, which the user attaches on purpose, are kept.
 */
export class CapturePolicy {
  readonly redactor: Redactor | undefined;

  constructor(
    readonly mode: CaptureMode,
    readonly maxChars: number,
    extraRules: readonly RedactionRule[] = [],
  ) {
    this.redactor = mode === 'full' ? undefined : Redactor.withExtraRules(extraRules);
  }

  get capturesContent(): boolean {
    return this.mode !== 'none';
  }

  /**
   * A call's arguments as JSON text: an object of named arguments when parameter names are known, otherwise the
   * positional list. `this` is never part of it.
   */
  args(args: readonly unknown[], paramNames?: readonly string[]): string | undefined {
    if (this.mode === 'none') return undefined;
    if (paramNames && paramNames.length > 0) {
      const named: Record<string, unknown> = {};
      for (let i = 0; i < args.length; i++) named[paramNames[i] ?? `arg${i}`] = args[i];
      return this.json(named);
    }
    return this.json(args);
  }

  /**
   * A string of content (a call's only argument, a return value, streamed text) kept as plain text rather than
   * JSON: backends display it as text, and the JSON escaping moves to the export thread. Undefined in `none` mode.
   */
  plain(value: string): string | undefined {
    return this.mode === 'none' ? undefined : this.text(value);
  }

  /** Any value (a return value, a chunk list, event data) as JSON text, or undefined in `none` mode. */
  value(value: unknown): string | undefined {
    if (this.mode === 'none') return undefined;
    return this.json(value);
  }

  /**
   * Data the user attached on purpose (metadata, event attributes): recorded in every mode, redacted unless the
   * mode is `full`.
   */
  data(value: unknown): string {
    return this.json(value);
  }

  /** Free text that is not content proper (error messages, stack traces): redacted unless mode is `full`. */
  text(value: string): string {
    const cut =
      value.length > this.maxChars ? `${value.slice(0, this.maxChars)}…[truncated: ${value.length} chars]` : value;
    return this.redactor ? this.redactor.redactString(cut) : cut;
  }

  private json(value: unknown): string {
    return toJsonText(value, {
      maxLength: this.maxChars,
      ...(this.redactor ? { redactor: this.redactor } : {}),
    });
  }
}
