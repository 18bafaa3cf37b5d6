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
   *
   * When the pattern also has the y (sticky) flag, every match must begin with a trigger, and the
   * pattern is tried only where one begins instead of being scanned across the whole string: the way
   * to keep a rule cheap when its trigger (a `:`, say) is common but its matches are not.
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

type Replacement = string | ((match: string, ...groups: string[]) => string);

interface CompiledValueRule {
  readonly pattern: RegExp;
  readonly replacement: Replacement;
  readonly alwaysRun: boolean;
  /** For sticky patterns: the triggers, which are where matches may begin. */
  readonly starts: readonly string[] | undefined;
}

// A sticky rule is tried once per trigger occurrence; past this many tries in one string a single
// scan by the regex engine is cheaper, and gives the same result since matches begin at triggers.
const MAX_ANCHORED_TRIES = 32;

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
      const triggers = rule.triggers !== undefined && rule.triggers.length > 0 ? rule.triggers : undefined;
      let flags = rule.pattern.global ? rule.pattern.flags : `${rule.pattern.flags}g`;
      // Without triggers there is nowhere to anchor a sticky pattern: scan for it like any other.
      if (triggers === undefined) flags = flags.replace('y', '');
      const pattern = flags === rule.pattern.flags ? rule.pattern : new RegExp(rule.pattern.source, flags);
      this.valueRules.push({
        pattern,
        // `$` in a rule name must not be read as a replacement pattern.
        replacement: rule.replacement ?? redactionMarker(rule.name).replaceAll('$', '$$$$'),
        alwaysRun: triggers === undefined,
        starts: pattern.sticky ? triggers : undefined,
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
        out =
          rule.starts === undefined
            ? out.replace(rule.pattern, rule.replacement as string)
            : replaceAtStarts(out, rule);
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

/** String#replace for a sticky rule, trying the pattern only where one of its triggers begins. */
function replaceAtStarts(s: string, rule: CompiledValueRule): string {
  const { pattern, replacement } = rule;
  const starts = rule.starts!;
  const next = starts.map((t) => s.indexOf(t));
  let out = '';
  let copied = 0;
  let from = 0;
  let tries = 0;
  let changed = false;
  for (;;) {
    let at = -1;
    for (let i = 0; i < starts.length; i++) {
      if (next[i] !== -1 && next[i]! < from) next[i] = s.indexOf(starts[i]!, from);
      if (next[i] !== -1 && (at === -1 || next[i]! < at)) at = next[i]!;
    }
    if (at === -1) break;
    if (++tries > MAX_ANCHORED_TRIES) {
      const scanning = new RegExp(pattern.source, pattern.flags.replace('y', ''));
      return s.replace(scanning, replacement as string);
    }
    pattern.lastIndex = at;
    const match = pattern.exec(s);
    if (match === null) {
      from = at + 1;
      continue;
    }
    const end = at + match[0].length;
    const text = typeof replacement === 'function' ? callReplacement(replacement, match, s) : expand(s, match, rule);
    if (text !== match[0]) {
      out += s.slice(copied, at) + text;
      copied = end;
      changed = true;
    }
    from = end > at ? end : at + 1;
  }
  return changed ? out + s.slice(copied) : s;
}

function callReplacement(fn: (match: string, ...rest: string[]) => string, match: RegExpExecArray, s: string) {
  const args: unknown[] = [...match, match.index, s];
  if (match.groups !== undefined) args.push(match.groups);
  return (fn as (...args: unknown[]) => string)(...args);
}

/** A string replacement's `$` patterns, expanded by String#replace itself on the one match. */
function expand(s: string, match: RegExpExecArray, rule: CompiledValueRule): string {
  const single = new RegExp(rule.pattern.source, rule.pattern.flags.replace('g', ''));
  single.lastIndex = match.index;
  const replaced = s.replace(single, rule.replacement as string);
  return replaced.slice(match.index, replaced.length - (s.length - match.index - match[0].length));
}
