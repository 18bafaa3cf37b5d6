/**
 * More than one of something: two copies of the SDK (ESM and CJS builds) in one process, and several processes
 * appending to the same output folder at once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { countBy, fixture, readOutput, removeTemps, report, run, tmp } from './helpers/child.js';
import { renderTrees, tree } from './helpers/tree.js';

afterAll(removeTemps);

const TWO_COPIES = fixture('two-copies.mjs');
const SPANS = fixture('spans.mjs');

interface TwoCopiesReport {
  results: string[];
  distinctCopies: boolean;
  esmFile: string;
  cjsFile: string;
  sameProvider: boolean;
  providerName: string | null;
  exitListenersAdded: number;
  beforeExitListenersAdded: number;
  flushed: boolean;
}

function trees(dir: string): string[] {
  return renderTrees(
    readOutput(dir).observations.records.map((o) => ({
      id: String(o.id),
      parentId: (o.parent_observation_id as string | null) ?? null,
      traceId: String(o.trace_id),
      label: `${o.name} [${o.type}]`,
      start: String(o.start_time),
    })),
  );
}

describe('two copies of the SDK in one process (ESM and CommonJS builds)', () => {
  const expectedTrees = [
    tree`
      frontDesk [agent]
        translate [tool]
    `,
    tree`
      support [agent]
        lookup [tool]
          draft [generation]
    `,
  ];

  it('report to the same provider and files; calls across copies form one tree', async () => {
    const dir = tmp();
    const result = await run(TWO_COPIES, ['zero'], {
      env: { FLUXLOOP_OUTPUT_DIR: dir, FLUXLOOP_CAPTURE_CONTENT: 'full' },
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const r = report<TwoCopiesReport>(result);
    expect(r).toMatchObject({
      results: ['where is it? -> draft(order A-17)', 'HI THERE'],
      distinctCopies: true,
      sameProvider: true,
      providerName: 'NodeTracerProvider',
      // One set of exit hooks for the process, not one per copy.
      exitListenersAdded: 1,
      beforeExitListenersAdded: 1,
      flushed: true,
    });
    expect(r.esmFile).toMatch(/dist\/index\.js$/);
    expect(r.cjsFile).toMatch(/dist\/index\.cjs$/);

    expect(trees(dir)).toEqual(expectedTrees);
    const { observations, traces } = readOutput(dir);
    expect(traces.records.map((t) => `${t.name}:${t.observation_count}`).sort()).toEqual(['frontDesk:2', 'support:3']);
    // Each observation once: a span seen by two processors would be written twice.
    expect(new Set(observations.records.map((o) => o.id)).size).toBe(5);
    const byName = Object.fromEntries(observations.records.map((o) => [o.name, o]));
    expect(byName.lookup!.input).toEqual(['A-17']);
    expect(byName.draft!.input).toEqual(['order A-17']);
    expect(byName.draft!.model).toBe('test-model');
    expect(byName.translate!.output).toBe('HI THERE');
  });

  it("configure() through the CJS copy is honoured by the ESM copy's wrappers (captureContent: 'none')", async () => {
    const dir = tmp();
    // The environment asks for full capture; the option given through the other copy must win.
    const result = await run(TWO_COPIES, ['configure', dir], { env: { FLUXLOOP_CAPTURE_CONTENT: 'full' } });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(report<TwoCopiesReport>(result)).toMatchObject({
      results: ['where is it? -> draft(order A-17)', 'HI THERE'],
      sameProvider: true,
      flushed: true,
    });
    expect(trees(dir)).toEqual(expectedTrees);
    const { observations, traces } = readOutput(dir);
    expect(observations.records).toHaveLength(5);
    for (const o of observations.records)
      expect({ name: o.name, input: o.input, output: o.output }).toEqual({
        name: o.name,
        input: null,
        output: null,
      });
    for (const t of traces.records) expect([t.input, t.output]).toEqual([null, null]);
  });
});

describe('several processes appending to the same output folder', () => {
  it('4 processes × 2,000 spans with inputs up to 20 KB: every line whole and parsed, exact counts', async () => {
    const dir = tmp();
    // Two with the default batch size (large writes), two with small batches (many interleaved writes).
    const children = ['a', 'b', 'c', 'd'].map((proc, i) =>
      run(SPANS, ['drain', '100', '20', '20000'], {
        env: {
          FLUXLOOP_OUTPUT_DIR: dir,
          PROC: proc,
          ...(i % 2 === 1 ? { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '37', OTEL_BSP_SCHEDULE_DELAY: '5' } : {}),
        },
        timeoutMs: 45_000,
      }),
    );
    for (const result of await Promise.all(children)) {
      expect({ code: result.code, stderr: result.stderr, timedOut: result.timedOut }).toEqual({
        code: 0,
        stderr: '',
        timedOut: false,
      });
      expect(report(result)).toEqual({ sum: 38_000, expectedSum: 38_000 });
    }

    // readOutput parses every line strictly (a torn or interleaved line throws, naming it).
    const { observations, traces } = readOutput(dir);
    expect([observations.endsWithNewline, traces.endsWithNewline]).toEqual([true, true]);
    expect(observations.records).toHaveLength(8000);
    expect(traces.records).toHaveLength(400);
    expect(observations.bytes).toBeGreaterThan(8000 * 5000);
    expect(new Set(observations.records.map((o) => o.id)).size).toBe(8000);
    expect(new Set(traces.records.map((t) => t.trace_id)).size).toBe(400);

    const procOf = (record: Record<string, unknown>) => (record.input as [{ proc: string }])[0].proc;
    expect(Object.fromEntries(countBy(observations.records, procOf))).toEqual({ a: 2000, b: 2000, c: 2000, d: 2000 });
    expect(Object.fromEntries(countBy(traces.records, procOf))).toEqual({ a: 100, b: 100, c: 100, d: 100 });
    const perTrace = countBy(observations.records, (o) => String(o.trace_id));
    expect([...new Set(perTrace.values())]).toEqual([20]);
    // Inputs come back byte for byte, multi-byte characters, quotes and newlines included.
    const sample = observations.records.find((o) => (o.input as [{ pad: string }])[0].pad.length > 5000)!;
    const { t, i, pad } = (sample.input as [{ t: number; i: number; pad: string }])[0];
    const chars = Math.floor(((t * 7919 + i * 104_729) % 20000) * 0.6);
    expect(pad).toBe('aü"\n\\z'.repeat(Math.ceil(chars / 6)).slice(0, chars));
  });
});
