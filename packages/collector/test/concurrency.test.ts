import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, schemaProblems, serve, serviceFolders } from './helpers/collector.js';
import { JSON_TYPE, PROTOBUF_TYPE, request } from './helpers/http.js';
import { jsonBody, protobufBody, SpanFactory } from './helpers/otlp.js';
import { recordBatch } from './helpers/records.js';

afterEach(cleanup);

const CLIENTS = 20;
const REQUESTS = 50;
/** Every RESEND-th request of a client re-sends its previous one, as a retrying client would. */
const RESEND = 10;

interface Planned {
  url: 'traces' | 'records';
  headers: Record<string, string>;
  body: Uint8Array | string;
  /** Trace name, unique per distinct request. */
  name: string;
}

describe('concurrent clients into one service folder', () => {
  it(`${CLIENTS} clients × ${REQUESTS} requests (JSON, protobuf, record batches, re-sends): every line whole, exact counts, no duplicates`, async () => {
    const c = await serve();
    const factory = new SpanFactory('busy');
    const plans: Planned[][] = [];
    const unique = new Set<string>();
    for (let client = 0; client < CLIENTS; client++) {
      const plan: Planned[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        if (i % RESEND === RESEND - 1) {
          plan.push(plan[i - 1]!);
          continue;
        }
        const name = `c${client}-r${i}`;
        unique.add(name);
        const kind = (client + i) % 3;
        if (kind === 0) plan.push({ url: 'traces', headers: JSON_TYPE, body: jsonBody(factory.trace3(name)), name });
        else if (kind === 1) {
          plan.push({ url: 'traces', headers: PROTOBUF_TYPE, body: protobufBody(factory.trace3(name)), name });
        } else {
          const body = JSON.stringify(recordBatch({ serviceName: 'busy', name, children: 2 }));
          plan.push({ url: 'records', headers: JSON_TYPE, body, name });
        }
      }
      plans.push(plan);
    }

    const statuses = await Promise.all(
      plans.map(async (plan) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        const seen: number[] = [];
        for (const p of plan) {
          const url = p.url === 'traces' ? c.tracesUrl : c.recordsUrl;
          const reply = await request(url, { body: p.body, headers: p.headers, agent });
          seen.push(reply.status);
        }
        agent.destroy();
        return seen;
      }),
    );
    expect(statuses.flat().filter((s) => s !== 200)).toEqual([]);

    expect(serviceFolders(c.dir)).toEqual(['busy']);
    // Every line of both files is whole JSON (readJsonl throws on a torn or interleaved line).
    const records = c.records('busy');
    for (const file of ['traces.jsonl', 'observations.jsonl']) {
      const text = fs.readFileSync(path.join(c.dir, 'busy', file), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
    }
    expect(schemaProblems(records)).toEqual([]);
    expect(records.traces).toHaveLength(unique.size);
    expect(records.observations).toHaveLength(unique.size * 3);
    expect(new Set(records.traces.map((t) => t.trace_id)).size).toBe(unique.size);
    expect(new Set(records.observations.map((o) => `${o.trace_id}:${o.id}`)).size).toBe(unique.size * 3);
    expect(new Set(records.traces.map((t) => t.name))).toEqual(unique);
    for (const t of records.traces) {
      const own = records.observations.filter((o) => o.trace_id === t.trace_id);
      expect(own, t.name).toHaveLength(3);
    }
    const stats = c.stats();
    const resent = CLIENTS * (REQUESTS / RESEND);
    expect(stats.requests).toBe(CLIENTS * REQUESTS);
    expect(stats.spans + stats.batches * 3).toBe(unique.size * 3);
    expect(stats.duplicateBatches + stats.duplicateSpans / 3).toBe(resent);
    expect(stats.errors).toEqual({});
  });
});
