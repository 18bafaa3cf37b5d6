import type { ObservationRecord, TraceRecord } from '@fluxloop/contract';
import { validateRecordBatch } from '@fluxloop/contract/validate';
import { agent, tool } from '@fluxloop/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { configured, resetFluxLoop, tempDir } from './helpers/harness.js';
import { recordNodes, renderTrees, tree } from './helpers/tree.js';
import { FakeCollector, spoolFiles } from './storage/fake-collector.js';

let collector: FakeCollector | undefined;
afterEach(async () => {
  await resetFluxLoop();
  await collector?.stop();
  collector = undefined;
});

function stored(c: FakeCollector) {
  const traces: TraceRecord[] = [];
  const observations: ObservationRecord[] = [];
  for (const batch of c.batches.values()) {
    traces.push(...(batch.traces as TraceRecord[]));
    observations.push(...(batch.observations as ObservationRecord[]));
  }
  return { traces, observations };
}

const lookup = tool(async function lookup(id: number) {
  return { id, ok: true };
});
const run = agent(async function run(n: number) {
  await lookup(n);
  await lookup(n + 1);
  return n;
});

describe('HTTP storage through the SDK (export worker → collector)', () => {
  it('delivers valid batches with the bearer key, every record exactly once', async () => {
    collector = await new FakeCollector().start();
    const env = await configured({ storage: 'http', collectorUrl: collector.url, apiKey: 'fl-test-key-123' });
    await Promise.all(Array.from({ length: 50 }, (_, i) => run(i)));
    expect(await env.client.shutdown(10_000)).toBe(true);

    expect(collector.requests.length).toBeGreaterThan(0);
    for (const request of collector.requests) {
      expect(request.path).toBe('/v1/fluxloop/records');
      expect(request.authorization).toBe('Bearer fl-test-key-123');
      expect(validateRecordBatch(JSON.parse(request.body))).toEqual({ valid: true });
    }
    const { traces, observations } = stored(collector);
    expect(traces).toHaveLength(50);
    expect(observations).toHaveLength(150);
    expect(new Set(observations.map((o) => o.id)).size).toBe(150);
    for (const t of renderTrees(recordNodes(observations))) {
      expect(t).toBe(tree`
        run [agent]
          lookup [tool]
          lookup [tool]
      `);
    }
    expect(collector.duplicates).toBe(0);
  });

  it('with the collector down, spools at shutdown; the next process re-sends it all once the collector is up', async () => {
    collector = await new FakeCollector().start();
    const port = collector.port;
    await collector.stop();
    const spoolDir = tempDir();
    const first = await configured({ storage: 'http', collectorUrl: `http://127.0.0.1:${port}`, spoolDir });
    await Promise.all(Array.from({ length: 20 }, (_, i) => run(i)));
    await first.client.shutdown(3_000);
    expect(spoolFiles(spoolDir).length).toBeGreaterThan(0);

    await collector.start(port);
    const second = await configured({ storage: 'http', collectorUrl: collector.url, spoolDir });
    await run(100);
    await second.client.shutdown(10_000);
    const { traces, observations } = stored(collector);
    expect(traces).toHaveLength(21);
    expect(observations).toHaveLength(63);
    expect(collector.duplicates).toBe(0);
    expect(spoolFiles(spoolDir)).toEqual([]);
  });
});
