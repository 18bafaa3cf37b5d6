/**
 * Runs the support agent on a few questions and prints the trace trees FluxLoop wrote.
 * Nothing is configured in code: FluxLoop reads FLUXLOOP_* settings from this folder's .env (zero config).
 */
import fs from 'node:fs';
import path from 'node:path';
import { forceFlush } from '@fluxloop/sdk';
import { supportAgent } from './agent.js';

const questions = ['Where is my order A-1001?', 'Has A-1002 shipped yet?', 'Status of Z-9999 please'];
for (const [i, question] of questions.entries()) {
  const answer = await supportAgent(question, `customer-${i + 1}`);
  console.log(`> ${question}\n  ${answer}`);
}
await forceFlush();

const dir = path.resolve(process.env.FLUXLOOP_OUTPUT_DIR ?? 'traces');
const read = (file: string) =>
  fs.existsSync(path.join(dir, file))
    ? fs
        .readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
const traces = read('traces.jsonl');
const observations = read('observations.jsonl');
console.log(`\n${dir}: ${traces.length} traces, ${observations.length} observations in total. Latest trace:`);
const latest = traces.at(-1);
const children = (parent: string | null) =>
  observations.filter((o) => o.trace_id === latest?.trace_id && o.parent_observation_id === parent);
const print = (parent: string | null, depth: number) => {
  for (const o of children(parent)) {
    const tokens = o.token_usage ? `, ${o.token_usage.total_tokens} tokens` : '';
    console.log(`${'  '.repeat(depth + 1)}${o.name} [${o.type}] ${o.duration_ms} ms${tokens}`);
    print(o.id, depth + 1);
  }
};
print(null, 0);
