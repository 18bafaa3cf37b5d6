import type { ObservationRecord } from '@fluxloop/contract';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * Renders spans or observation records as an indented tree, one node per line:
 *   `name [type] ERROR` (status only when it is an error). Tests compare whole trees as strings, which fails on
 *   any wrong name, type, parent link or status and prints a readable diff. Siblings are ordered by name, then
 *   start time, because sibling start times can tie.
 */
export interface TreeNode {
  id: string;
  parentId: string | null;
  traceId: string;
  label: string;
  start: string;
}

export function spanNodes(spans: ReadableSpan[]): TreeNode[] {
  return spans.map((s) => {
    const type = s.attributes['fluxloop.observation.type'];
    const status = s.status.code === 2 ? ' ERROR' : '';
    return {
      id: s.spanContext().spanId,
      parentId: s.parentSpanContext?.spanId ?? null,
      traceId: s.spanContext().traceId,
      label: `${s.name}${type ? ` [${type}]` : ''}${status}`,
      start: `${s.startTime[0]}.${String(s.startTime[1]).padStart(9, '0')}`,
    };
  });
}

export function recordNodes(records: ObservationRecord[]): TreeNode[] {
  return records.map((r) => ({
    id: r.id,
    parentId: r.parent_observation_id,
    traceId: r.trace_id,
    label: `${r.name} [${r.type}]${r.level === 'error' ? ' ERROR' : ''}`,
    start: r.start_time,
  }));
}

/** One rendered tree per trace, each starting at the nodes whose parent is not among the nodes. */
export function renderTrees(nodes: TreeNode[]): string[] {
  const byTrace = new Map<string, TreeNode[]>();
  for (const n of nodes) byTrace.set(n.traceId, [...(byTrace.get(n.traceId) ?? []), n]);
  const out: string[] = [];
  for (const group of byTrace.values()) {
    const ids = new Set(group.map((n) => n.id));
    const children = new Map<string | null, TreeNode[]>();
    for (const n of group) {
      const key = n.parentId && ids.has(n.parentId) ? n.parentId : null;
      children.set(key, [...(children.get(key) ?? []), n]);
    }
    const lines: string[] = [];
    const walk = (parent: string | null, depth: number) => {
      const list = (children.get(parent) ?? []).sort(
        (a, b) => a.label.localeCompare(b.label) || a.start.localeCompare(b.start),
      );
      for (const n of list) {
        lines.push(`${'  '.repeat(depth)}${n.label}`);
        walk(n.id, depth + 1);
      }
    };
    walk(null, 0);
    out.push(lines.join('\n'));
  }
  return out.sort();
}

/** The single tree of a set of spans (fails loudly if they form more than one trace). */
export function renderTree(nodes: TreeNode[]): string {
  const trees = renderTrees(nodes);
  if (trees.length !== 1) throw new Error(`expected one trace, got ${trees.length}:\n${trees.join('\n---\n')}`);
  return trees[0]!;
}

/** Builds the expected string from a template literal with any indentation. */
export function tree(strings: TemplateStringsArray): string {
  const lines = strings
    .join('')
    .split('\n')
    .filter((l) => l.trim());
  const indent = Math.min(...lines.map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent).trimEnd()).join('\n');
}
