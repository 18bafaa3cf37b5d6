/**
 * The variations in a model's answer. Models wrap JSON in code fences or add a sentence around it, so this looks
 * for a JSON array in fenced blocks, the whole answer, and the outermost [...] span, in that order. Items may be
 * strings or objects with an `input` / `text` / `message` string; `{ "variations": [...] }` is accepted too.
 */
export function parseVariations(answer: string, count: number): { variations: string[] } | { problem: string } {
  const candidates = [
    ...Array.from(answer.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g), (m) => m[1]!),
    answer,
    answer.includes('[') ? answer.slice(answer.indexOf('['), answer.lastIndexOf(']') + 1) : '',
  ];
  let best: string[] | undefined;
  for (const candidate of candidates) {
    const items = arrayIn(candidate.trim());
    if (items && (!best || items.length > best.length)) best = items;
    if (best && best.length >= count) break;
  }
  if (!best) return { problem: 'the answer holds no JSON array of strings' };
  if (best.length < count) {
    return { problem: `expected ${count} variation${count === 1 ? '' : 's'}, the answer has ${best.length}` };
  }
  return { variations: best.slice(0, count) };
}

function arrayIn(text: string): string[] | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const inner = Object.values(value).find(Array.isArray);
    value = inner;
  }
  if (!Array.isArray(value)) return undefined;
  const items = value.map(itemText).filter((s): s is string => s !== undefined && s.trim() !== '');
  return items.length ? items.map((s) => s.trim()) : undefined;
}

function itemText(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (item && typeof item === 'object') {
    const record = item as Record<string, unknown>;
    for (const key of ['input', 'text', 'message', 'variation']) {
      if (typeof record[key] === 'string') return record[key] as string;
    }
  }
  return undefined;
}
