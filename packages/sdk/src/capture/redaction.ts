/**
 * Redaction of captured content: an ordered table of rules, each a plain object that can be tested
 * alone. Value rules rewrite substrings of any string; key rules mask the whole value of an object key.
 */
import { BUILTIN_KEY_RULES } from './keys.js';
import { redactionMarker } from './markers.js';
import { BUILTIN_VALUE_RULES } from './patterns.js';
import { TriggerIndex } from './triggers.js';

export { keySegments } from './keys.js';
export { redactionMarker } from './markers.js';

export interface ValueRedactionRule {
  kind: 'value';
  name: string;
  description: string;
  /** Must have the g flag (a pattern without it is copied with g added). */
  pattern: RegExp;
  /** Defaults to `[REDACTED:${name}]`. A string may use `$1`-style references, as in String#replace. */
  replacement?: string | ((match: string, ...groups: string[]) => string);
  /**
   * Literal, case-sensitive substrings one of which occurs in every match: the pattern runs only when
   * one is present. Prefer substrings containing a character that is rare in prose (`_`, `-`, `=`, `@`,
   * an uppercase letter, `z`, `x`, `J`). Without triggers the pattern runs on every string.
   */
  triggers?: readonly string[];
}

export interface KeyRedactionRule {
  kind: 'key';
  name: string;
  description: string;
  matches(key: string): boolean;
}

export type RedactionRule = ValueRedactionRule | KeyRedactionRule;

/** Value rules first (in table order), then key rules. */
export const BUILTIN_REDACTION_RULES: readonly RedactionRule[] = [...BUILTIN_VALUE_RULES, ...BUILTIN_KEY_RULES];

/** What a string becomes when a rule throws: we cannot tell whether it was clean, so nothing is kept. */
export const REDACTION_ERROR_RULE = 'redaction_error';

// Keys seen in captured objects are a small, stable set in practice, but objects keyed by ids are not:
// the cache is cleared when it reaches this size rather than growing without bound.
const KEY_CACHE_LIMIT = 4096;

interface CompiledValueRule {
  readonly pattern: RegExp;
  readonly replacement: string | ((match: string, ...groups: string[]) => string);
  readonly alwaysRun: boolean;
}

export class Redactor {
  readonly rules: readonly RedactionRule[];
  private readonly valueRules: CompiledValueRule[] = [];
  private readonly keyRules: KeyRedactionRule[] = [];
  private readonly triggers: TriggerIndex;
  private readonly hasUntriggered: boolean;
  private readonly keyCache = new Map<string, string | null>();

  constructor(rules: readonly RedactionRule[] = BUILTIN_REDACTION_RULES) {
    this.rules = [...rules];
    const triggersByRule: (readonly string[] | undefined)[] = [];
    for (const rule of this.rules) {
      if (rule.kind === 'key') {
        this.keyRules.push(rule);
        continue;
      }
      const pattern = rule.pattern.global ? rule.pattern : new RegExp(rule.pattern.source, `${rule.pattern.flags}g`);
      const triggers = rule.triggers !== undefined && rule.triggers.length > 0 ? rule.triggers : undefined;
      this.valueRules.push({
        pattern,
        // `$` in a rule name must not be read as a replacement pattern.
        replacement: rule.replacement ?? redactionMarker(rule.name).replaceAll('$', '$$$$'),
        alwaysRun: triggers === undefined,
      });
      triggersByRule.push(triggers);
    }
    this.triggers = new TriggerIndex(triggersByRule);
    this.hasUntriggered = this.valueRules.some((r) => r.alwaysRun);
  }

  /** The built-in rules followed by `extra`, so built-ins win where both would match. */
  static withExtraRules(extra: readonly RedactionRule[]): Redactor {
    return new Redactor([...BUILTIN_REDACTION_RULES, ...extra]);
  }

  /** `s` with every value rule applied in table order; `s` itself when nothing matched. */
  redactString(s: string): string {
    if (s.length === 0) return s;
    const fired = this.triggers.scan(s, this.valueRules.length);
    if (fired === undefined && !this.hasUntriggered) return s;
    let out = s;
    try {
      for (let i = 0; i < this.valueRules.length; i++) {
        const rule = this.valueRules[i]!;
        if (!rule.alwaysRun && fired?.[i] !== true) continue;
        // Each rule sees the previous rules' output, so an earlier, more specific rule claims its
        // match before a later, broader one can.
        out = out.replace(rule.pattern, rule.replacement as string);
      }
    } catch {
      return redactionMarker(REDACTION_ERROR_RULE);
    }
    return out;
  }

  /** Name of the first key rule that matches `key`, if any. */
  sensitiveKeyRule(key: string): string | undefined {
    const cached = this.keyCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let found: string | null = null;
    for (const rule of this.keyRules) {
      let matched: boolean;
      try {
        matched = rule.matches(key);
      } catch {
        // A rule that cannot decide is treated as matching: masking too much is the safe failure.
        matched = true;
      }
      if (matched) {
        found = rule.name;
        break;
      }
    }
    if (this.keyCache.size >= KEY_CACHE_LIMIT) this.keyCache.clear();
    this.keyCache.set(key, found);
    return found ?? undefined;
  }
}
