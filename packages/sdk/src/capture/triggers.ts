/**
 * The prefilter that lets redactString skip almost every regex on clean text.
 *
 * A rule's triggers are literal substrings one of which must occur for its pattern to match. Searching
 * each trigger with indexOf costs little only when the needle's first character is rare in the text:
 * V8 finds that character with memchr and then compares the rest, so `sk-` in English prose stops at
 * every `s`. We therefore search each trigger by its rarest character (the anchor) and compare the whole
 * trigger around each hit. Triggers that share an anchor are checked in one pass over that character.
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

/** Index of the rarest character of `trigger`; ties go to the earliest. */
export function anchorIndex(trigger: string): number {
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
  readonly rule: number;
}

interface AnchorGroup {
  readonly anchor: string;
  readonly entries: readonly TriggerEntry[];
  /** Distinct rule indexes in `entries`, so a scan can stop once all of them have fired. */
  readonly rules: readonly number[];
}

/** Finds which rules' triggers occur in a string. Rules are identified by their index. */
export class TriggerIndex {
  private readonly groups: AnchorGroup[];

  /** `triggersByRule[i]` lists rule i's triggers; rules without triggers are not indexed here. */
  constructor(triggersByRule: readonly (readonly string[] | undefined)[]) {
    const byAnchor = new Map<string, TriggerEntry[]>();
    triggersByRule.forEach((triggers, rule) => {
      for (const trigger of triggers ?? []) {
        if (trigger.length === 0) continue;
        const offset = anchorIndex(trigger);
        const anchor = trigger.charAt(offset);
        let list = byAnchor.get(anchor);
        if (list === undefined) {
          list = [];
          byAnchor.set(anchor, list);
        }
        list.push({ trigger, offset, rule });
      }
    });
    this.groups = [...byAnchor].map(([anchor, entries]) => ({
      anchor,
      entries,
      rules: [...new Set(entries.map((e) => e.rule))],
    }));
  }

  /**
   * Marks `fired[rule]` for every rule with a trigger in `s`, allocating `fired` on the first hit.
   * Returns the array, or undefined when nothing fired (the common, allocation-free case).
   */
  scan(s: string, ruleCount: number): boolean[] | undefined {
    let fired: boolean[] | undefined;
    for (const group of this.groups) {
      let pending = group.rules.length;
      if (fired !== undefined) for (const r of group.rules) if (fired[r]) pending--;
      if (pending === 0) continue;
      let at = s.indexOf(group.anchor);
      while (at !== -1) {
        for (const entry of group.entries) {
          if (fired?.[entry.rule]) continue;
          const start = at - entry.offset;
          if (start < 0 || !s.startsWith(entry.trigger, start)) continue;
          fired ??= new Array<boolean>(ruleCount).fill(false);
          fired[entry.rule] = true;
          pending--;
        }
        if (pending === 0) break;
        at = s.indexOf(group.anchor, at + 1);
      }
    }
    return fired;
  }
}
