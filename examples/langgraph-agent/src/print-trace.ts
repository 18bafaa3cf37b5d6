import fs from 'node:fs';
import path from 'node:path';

interface TraceRecord {
  trace_id: string;
  name: string;
  session_id: string | null;
  token_usage: { input_tokens: number; output_tokens: number; total_tokens: number } | null;
  observation_count: number;
}

interface ObservationRecord {
  id: string;
  trace_id: string;
  parent_observation_id: string | null;
  type: string;
  name: string;
  start_time: string;
  end_time: string;
  duration_ms: number;
  metadata: Record<string, unknown>;
  model: string | null;
  token_usage: { input_tokens: number; output_tokens: number; total_tokens: number } | null;
}

function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

/** Prints the latest trace FluxLoop wrote to `dir` as a tree, with models and token counts. */
export function printLatestTrace(dir: string): void {
  const traces = readJsonl<TraceRecord>(path.join(dir, 'traces.jsonl'));
  const observations = readJsonl<ObservationRecord>(path.join(dir, 'observations.jsonl'));
  const latest = traces.at(-1);
  console.log(`\n${dir}: ${traces.length} traces, ${observations.length} observations in total.`);
  if (!latest) return;
  const usage = latest.token_usage;
  console.log(
    `Latest trace ${latest.trace_id} "${latest.name}", session ${latest.session_id ?? '-'}, ` +
      `${latest.observation_count} observations, tokens: ${usage?.input_tokens ?? 0} in + ` +
      `${usage?.output_tokens ?? 0} out = ${usage?.total_tokens ?? 0}`,
  );
  const mine = observations.filter((o) => o.trace_id === latest.trace_id);
  const print = (parent: string | null, depth: number) => {
    const indent = '  '.repeat(depth + 1);
    const children = mine.filter((o) => o.parent_observation_id === parent);
    // LangGraph's node transitions are events on the graph's observation: one line, in step order.
    const steps = children.filter((o) => o.name === 'state.transition');
    if (steps.length > 0) {
      const path = steps.map((o) => `${o.metadata['langgraph.node']} (step ${o.metadata['langgraph.step']})`);
      console.log(`${indent}transitions: ${path.join(' → ')}`);
    }
    // Siblings in start order. Span start times have millisecond resolution, so ties go by end time.
    const spans = children
      .filter((o) => o.name !== 'state.transition')
      .sort((a, b) => a.start_time.localeCompare(b.start_time) || a.end_time.localeCompare(b.end_time));
    for (const o of spans) {
      const model = o.model ? ` ${o.model}` : '';
      const tokens = o.token_usage
        ? `, tokens ${o.token_usage.input_tokens} in + ${o.token_usage.output_tokens} out = ${o.token_usage.total_tokens}`
        : '';
      console.log(`${indent}${o.name} [${o.type}${model}] ${o.duration_ms} ms${tokens}`);
      print(o.id, depth + 1);
    }
  };
  print(null, 0);
}
