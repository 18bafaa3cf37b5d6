import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RecordKind, validate } from '../src/validate.js';

// Example convention of docs/json-contract.md: a fenced block opened with ```json title="<file>"```. For a .jsonl
// title every non-blank line is one record; otherwise the whole block is one JSON value.
const TITLE_KINDS: Record<string, RecordKind> = {
  'traces.jsonl': 'trace',
  'observations.jsonl': 'observation',
  'trace_summary.jsonl': 'traceSummary',
  'summary.json': 'summary',
  'POST /v1/fluxloop/records': 'recordBatch',
};

const doc = readFileSync(new URL('../../../docs/json-contract.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/^```json(?: title="([^"]*)")?\n([\s\S]*?)^```$/gm)].map((m) => ({
  title: m[1] ?? '(untitled)',
  body: m[2]!,
  line: doc.slice(0, m.index).split('\n').length,
}));

const examples = blocks.flatMap(({ title, body, line }) => {
  const kind = TITLE_KINDS[title];
  if (!kind || !title.endsWith('.jsonl')) return [{ title, kind, text: body, line: line + 1 }];
  return body
    .split('\n')
    .map((text, i) => ({ title, kind, text, line: line + 1 + i }))
    .filter((e) => e.text.trim() !== '');
});

describe('docs/json-contract.md examples', () => {
  it('tags every json block with a known file title', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => !TITLE_KINDS[b.title]).map((b) => `${b.title} at line ${b.line}`)).toEqual([]);
  });

  it('has examples of every kind', () => {
    const kinds = new Set(examples.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(Object.values(TITLE_KINDS).sort());
  });

  it.each(examples.map((e) => [`${e.title} line ${e.line}`, e] as const))('%s validates', (_, example) => {
    const result = validate(example.kind!, JSON.parse(example.text));
    expect(result).toEqual({ valid: true });
  });
});
