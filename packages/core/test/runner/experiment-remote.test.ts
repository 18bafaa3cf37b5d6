import type { SpanSnapshot } from '@fluxloop/sdk/projection';
import { describe, expect, it } from 'vitest';
import type { RunContext, SpanSink } from '../../src/index.js';
import { experimentIn, functionTarget } from './experiment-helpers.js';

let counter = 0;
/** A span as a remote process would export it under the run's traceparent. */
function exported(ctx: RunContext, name: string, fields: Partial<SpanSnapshot> = {}): SpanSnapshot {
  const [, traceId, parentId] = ctx.traceparent.split('-');
  const now = Date.now();
  return {
    name,
    kind: 1,
    traceId: traceId!,
    spanId: (++counter).toString(16).padStart(16, 'c'),
    parentSpanId: parentId!,
    parentIsRemote: true,
    startTime: [Math.floor(now / 1000), 0],
    endTime: [Math.floor(now / 1000), 1_000_000],
    statusCode: 0,
    attributes: {},
    resource: { 'service.name': 'remote-agent' },
    scopeName: 'remote-app',
    ...fields,
  };
}

const generation = (tokensIn: number, tokensOut: number) => ({
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.usage.input_tokens': tokensIn,
    'gen_ai.usage.output_tokens': tokensOut,
  },
});

describe('remote targets: spans over OTLP join the run', () => {
  it('spans within the quiet period count; later ones are dropped; one trace per run', async () => {
    let sink: SpanSink = () => {};
    const contexts: RunContext[] = [];
    const { result, artifacts, problems } = await experimentIn({
      inputs: ['q1', 'q2'],
      runner: 'target: ./agent.ts:run\nquiet_period_ms: 1000',
      target: (remoteSpans) => {
        sink = remoteSpans;
        return functionTarget(
          async (input, ctx) => {
            contexts.push(ctx);
            const server = exported(ctx, 'server');
            sink([
              server,
              exported(ctx, 'chat', { parentSpanId: server.spanId, parentIsRemote: false, ...generation(10, 5) }),
            ]);
            // Exported after the response, as a batching exporter does: still inside the quiet period.
            setImmediate(() =>
              sink([
                exported(ctx, 'late-chat', { ...generation(7, 3), parentIsRemote: false, parentSpanId: server.spanId }),
              ]),
            );
            return `answer to ${input}`;
          },
          { description: 'POST http://127.0.0.1/agent', remoteSpans: true },
        );
      },
      reporter: {
        // The run is finalized by now: whatever its process still sends is late.
        runFinished: (run) => {
          const ctx = contexts.find((c) => c.runId === run.runId)!;
          sink([exported(ctx, 'after-the-end')]);
        },
      },
    });
    expect(problems).toEqual([]);
    expect(artifacts.traces.map((t) => [t.input, t.observation_count, t.token_usage.total_tokens]).sort()).toEqual([
      ['q1', 4, 25],
      ['q2', 4, 25],
    ]);
    const names = artifacts.observations.filter((o) => o.trace_id === artifacts.traces[0]!.trace_id).map((o) => o.name);
    expect(names.sort()).toEqual(['POST http://127.0.0.1/agent', 'chat', 'late-chat', 'server']);
    expect(result.spans).toMatchObject({ droppedSpans: 2, lateSpans: 2 });
    expect(artifacts.summary.results.token_usage).toEqual({ input_tokens: 34, output_tokens: 16, total_tokens: 50 });
  });
});
