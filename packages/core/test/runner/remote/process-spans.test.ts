import type { SpanSnapshot } from '@fluxloop/sdk/projection';
import { afterEach, describe, expect, it } from 'vitest';
import { startOtlpReceiver } from '../../../src/runner/remote/index.js';
import type { OtlpReceiver } from '../../../src/runner/types.js';
import { otelAgent } from './helpers/agents.js';
import { processConfig } from './helpers/environment.js';
import { testRun } from './helpers/run-context.js';
import { processTarget } from './helpers/targets.js';
import { waitUntil } from './helpers/wait.js';

const receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A receiver, and a process target running the OTel agent with OTEL_EXPORTER_OTLP_ENDPOINT pointing at it. */
async function instrumented(mode: 'per_run' | 'persistent') {
  const spans: SpanSnapshot[] = [];
  const receiver = await startOtlpReceiver({ port: 0, onSpans: (batch) => spans.push(...batch) });
  receivers.push(receiver);
  const { config, env } = processConfig(otelAgent(mode), { mode, file: 'agent.cjs', otlpEndpoint: receiver.url });
  return { spans, target: await processTarget(config, env) };
}

/** What ties a span to its run: trace id, parent (the run's root span, remote to the agent), service. */
const link = (s: SpanSnapshot) => ({
  name: s.name,
  traceId: s.traceId,
  parentSpanId: s.parentSpanId,
  parentIsRemote: s.parentIsRemote,
  input: s.attributes['app.input'],
  service: s.resource['service.name'],
});

describe("a process target's spans reach the experiment's receiver", () => {
  it('per_run: the span arrives under the TRACEPARENT of its run, flushed after stdin closes', async () => {
    const { spans, target } = await instrumented('per_run');
    const runs = [testRun(), testRun()];
    const outputs = await Promise.all(runs.map((run, i) => target.invoke(`q${i}`, run)));
    expect(outputs).toEqual(['done q0', 'done q1']);
    await waitUntil(() => spans.length === 2, 'both spans arrived');
    expect(spans.map(link).sort((a, b) => String(a.input).localeCompare(String(b.input)))).toEqual(
      runs.map((run, i) => ({
        name: 'agent-work',
        traceId: run.traceId,
        parentSpanId: run.spanId,
        parentIsRemote: true,
        input: `q${i}`,
        service: 'remote-demo',
      })),
    );
  });

  it('persistent: each run’s span arrives under the traceparent of its input message', async () => {
    const { spans, target } = await instrumented('persistent');
    const runs = [testRun(), testRun(), testRun()];
    for (const [i, run] of runs.entries()) expect(await target.invoke(`q${i}`, run)).toBe(`done q${i}`);
    await waitUntil(() => spans.length === 3, 'three spans arrived');
    expect(spans.map(link)).toEqual(
      runs.map((run, i) => ({
        name: 'agent-work',
        traceId: run.traceId,
        parentSpanId: run.spanId,
        parentIsRemote: true,
        input: `q${i}`,
        service: 'remote-demo',
      })),
    );
  });
});
