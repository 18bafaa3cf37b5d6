import { afterAll, describe, expect, it } from 'vitest';
import { fixture, readOutput, removeTemps, run, sdkWarnings, tmp } from './helpers/child.js';

afterAll(removeTemps);

const SCRIPT = fixture('env-parent.mjs');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

async function records(traceparent: string | undefined) {
  const dir = tmp();
  const result = await run(SCRIPT, [], {
    env: { FLUXLOOP_OUTPUT_DIR: dir, ...(traceparent === undefined ? {} : { TRACEPARENT: traceparent }) },
  });
  expect(result.code).toBe(0);
  const out = readOutput(dir);
  return {
    stderr: result.stderr,
    traces: out.traces.records.map((t) => t.trace_id),
    tree: out.observations.records
      .map((o) => [o.name, o.trace_id, o.parent_observation_id])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  };
}

describe('TRACEPARENT: a process started inside a trace continues it', () => {
  it('the first span of a trace becomes a child of the environment’s traceparent', async () => {
    const r = await records(`00-${TRACE_ID}-${SPAN_ID}-01`);
    expect(r.traces).toEqual([TRACE_ID]);
    expect(r.tree).toEqual([
      ['lookup', TRACE_ID, expect.stringMatching(/^[0-9a-f]{16}$/)],
      ['run', TRACE_ID, SPAN_ID],
    ]);
    expect(r.stderr).toBe('');
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
  ])('%s is reported once and ignored: a fresh trace', async (_name, value) => {
    const r = await records(value);
    expect(r.traces).toHaveLength(1);
    expect(r.traces[0]).not.toBe(TRACE_ID);
    expect(r.tree.find((n) => n[0] === 'run')?.[2]).toBeNull();
    expect(sdkWarnings(r.stderr).join('\n')).toContain('TRACEPARENT');
  });

  it('without TRACEPARENT each call starts its own trace', async () => {
    const r = await records(undefined);
    expect(r.tree.find((n) => n[0] === 'run')?.[2]).toBeNull();
  });
});
