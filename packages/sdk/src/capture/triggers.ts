/**
 * The prefilter that lets redactString skip almost every regex on clean text.
 *
 * A rule's triggers are literal substrings one of which must occur for its pattern to match. Searching
 * each trigger with indexOf costs little only when the needle's first character is rare in the text:
 * V8 finds that character with memchr and then compares the rest, so `sk-` in English prose stops at
 * every `s`. Each trigger is therefore searched by one character, its anchor: the first character when
 * that is uncommon in prose (so rule authors decide, as the triggers' documentation asks), otherwise
 * its rarest character. The whole trigger is compared around each hit of the anchor. Triggers sharing
 * an anchor are checked in one pass over it, so the cost of a clean string is one memchr-speed indexOf
 * per distinct anchor: built-in triggers are chosen to need few distinct anchors.
 */

// Rough per-character frequencies (percent) in English prose, the common case for agent inputs and
// outputs. Uppercase letters are rare except at sentence starts; characters not listed count as rare.
const LOWER = 'etaoinshrdlcumwfgypbvkjxqz';
const LOWER_FREQ = [
  12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0, 2.0, 1.9, 1.5, 1.0, 0.8, 0.15,
  0.15, 0.1, 0.07,
];
const OTHER_FREQ: Record<string, number> = {
  ' ': 18,
  '.': 1.1,
  ',': 1.0,
  '\n': 0.5,
  T: 0.4,
  I: 0.4,
  A: 0.35,
  S: 0.3,
  W: 0.25,
  H: 0.25,
  '-': 0.2,
  "'": 0.2,
  '"': 0.2,
  B: 0.2,
  C: 0.2,
  M: 0.2,
  P: 0.15,
  '/': 0.1,
  ':': 0.1,
  '(': 0.1,
  ')': 0.1,
};

function charFrequency(ch: string): number {
  const lower = LOWER.indexOf(ch);
  if (lower !== -1) return LOWER_FREQ[lower] ?? 1;
  if (ch >= '0' && ch <= '9') return 0.1;
  if (ch >= 'A' && ch <= 'Z') return OTHER_FREQ[ch] ?? 0.08;
  return OTHER_FREQ[ch] ?? 0.05;
}

// A first character at least this frequent (percent) is a poor anchor: lowercase letters but j, k,
// q, v, x, z; space; '.' and ','.
const COMMON = 0.5;

/** Index in `trigger` of the character it is searched by. */
export function anchorIndex(trigger: string): number {
  if (trigger.length === 0 || charFrequency(trigger.charAt(0)) < COMMON) return 0;
  let best = 0;
  let bestFreq = Number.POSITIVE_INFINITY;
  for (let i = 0; i < trigger.length; i++) {
    const f = charFrequency(trigger.charAt(i));
    if (f < bestFreq) {
      bestFreq = f;
      best = i;
    }
  }
  return best;
}

interface TriggerEntry {
  readonly trigger: string;
  /** Position of the anchor inside the trigger. */
  readonly offset: number;
  /**
   * Another position of the trigger (relative to the anchor) and its char code, compared before the
   * full startsWith: most anchor hits in prose (a capital starting a sentence) fail on it.
   */
  readonly probe: number;
  readonly probeCode: number;
  readonly rule: number;
}

// Strings this short are checked for any anchor character in one JS loop, cheaper than one indexOf
// call per anchor.
const SHORT_STRING = 48;
// An anchor that keeps occurring without completing a trigger ("xxxx..." against "xox") would cost an
// indexOf restart per character; after this many misses the group's rules are simply run, whose
// regexes are linear.
const MAX_MISSES = 24;
const ALL_GROUPS = -1;

interface AnchorGroup {
  readonly anchor: string;
  readonly entries: readonly TriggerEntry[];
  /** Distinct rule indexes in `entries`, so a scan can stop once all of them have fired. */
  readonly rules: readonly number[];
}

/** Finds which rules' triggers occur in a string. Rules are identified by their index. */
export class TriggerIndex {
  private readonly groups: AnchorGroup[];
  /** For char codes below 128: the bit of the group anchored on that char, 0 for none. */
  private readonly asciiBits = new Int32Array(128);
  /** Groups anchored on other chars, or past the 31st, are always scanned for short strings. */
  private otherBits = 0;

  /** `triggersByRule[i]` lists rule i's triggers; rules without triggers are not indexed here. */
  constructor(triggersByRule: readonly (readonly string[] | undefined)[]) {
    const byAnchor = new Map<string, TriggerEntry[]>();
    triggersByRule.forEach((triggers, rule) => {
      for (const trigger of triggers ?? []) {
        if (trigger.length === 0) continue;
        const offset = anchorIndex(trigger);
        const anchor = trigger.charAt(offset);
        const probe = offset + 1 < trigger.length ? 1 : offset > 0 ? -1 : 0;
        let list = byAnchor.get(anchor);
        if (list === undefined) {
          list = [];
          byAnchor.set(anchor, list);
        }
        list.push({ trigger, offset, probe, probeCode: trigger.charCodeAt(offset + probe), rule });
      }
    });
    this.groups = [...byAnchor].map(([anchor, entries]) => ({
      anchor,
      entries,
      rules: [...new Set(entries.map((e) => e.rule))],
    }));
    this.groups.forEach(({ anchor }, g) => {
      const bit = g < 31 ? 1 << g : ALL_GROUPS;
      const code = anchor.charCodeAt(0);
      if (code < 128 && g < 31) this.asciiBits[code] = bit;
      else this.otherBits |= bit;
    });
  }

  /** Bits of the groups whose anchor occurs in `s`, found in one pass over its chars. */
  private presentGroups(s: string): number {
    const table = this.asciiBits;
    let bits = this.otherBits;
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i);
      if (code < 128) bits |= table[code]!;
    }
    return bits;
  }

  /** The anchor characters, in scan order: one indexOf each on a clean string. */
  get anchors(): string[] {
    return this.groups.map((g) => g.anchor);
  }

  /**
   * Marks `fired[rule]` for every rule with a trigger in `s`, allocating `fired` on the first hit.
   * Returns the array, or undefined when nothing fired (the common, allocation-free case).
   */
  scan(s: string, ruleCount: number): boolean[] | undefined {
    const present = s.length <= SHORT_STRING ? this.presentGroups(s) : ALL_GROUPS;
    if (present === 0) return undefined;
    let fired: boolean[] | undefined;
    const groups = this.groups;
    for (let g = 0; g < groups.length; g++) {
      if (g < 31 && (present & (1 << g)) === 0) continue;
      const group = groups[g]!;
      let at = s.indexOf(group.anchor);
      if (at === -1) continue;
      let pending = group.rules.length;
      if (fired !== undefined) for (const r of group.rules) if (fired[r]) pending--;
      const entries = group.entries;
      let misses = 0;
      while (at !== -1 && pending > 0) {
        if (++misses > MAX_MISSES) {
          fired ??= new Array<boolean>(ruleCount).fill(false);
          for (const r of group.rules) fired[r] = true;
          break;
        }
        for (let e = 0; e < entries.length; e++) {
          const entry = entries[e]!;
          if (s.charCodeAt(at + entry.probe) !== entry.probeCode) continue;
          const start = at - entry.offset;
          if (start < 0 || fired?.[entry.rule] || !s.startsWith(entry.trigger, start)) continue;
          fired ??= new Array<boolean>(ruleCount).fill(false);
          fired[entry.rule] = true;
          pending--;
        }
        at = s.indexOf(group.anchor, at + 1);
      }
    }
    return fired;
  }
}
