import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { agent, generation, tool, trace } from '@fluxloop/sdk';
import { context, trace as otel, propagation, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFixture } from './helpers/compile.js';
import { dropIn, resetFluxLoop } from './helpers/harness.js';
import { recordNodes, renderTree, renderTrees, spanNodes, tree } from './helpers/tree.js';

let env: Awaited<ReturnType<typeof dropIn>>;
beforeEach(async () => {
  env = await dropIn();
});
afterEach(resetFluxLoop);

const spans = () => env.exporter.getFinishedSpans();
const attr = (name: string, key: string) => spans().find((s) => s.name === name)?.attributes[key];

describe('nesting', () => {
  it('nested wrappers form one tree, in spans and in records alike', async () => {
    const lookup = tool(async function lookup(id: string) {
      return { id, status: 'shipped' };
    });
    const llm = generation(async function llm(prompt: string) {
      return `answer to ${prompt}`;
    });
    const plan = trace(function plan(q: string) {
      return [`lookup ${q}`];
    });
    const support = agent(async function support(question: string) {
      plan(question);
      const order = await lookup('42');
      return llm(`${question} ${order.status}`);
    });
    await expect(support('where is my order?')).resolves.toBe('answer to where is my order? shipped');

    const expected = tree`
      support [agent]
        llm [generation]
        lookup [tool]
        plan [span]
    `;
    expect(renderTree(spanNodes(spans()))).toBe(expected);
    const { traces, observations } = await env.records();
    expect(renderTree(recordNodes(observations))).toBe(expected);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ name: 'support', status: 'success', observation_count: 4 });
    expect(traces[0]!.input).toEqual(['where is my order?']);
    expect(traces[0]!.output).toBe('answer to where is my order? shipped');
  });

  it('200 concurrent agent calls give 200 separate, correct trees', async () => {
    const step = tool(async function step(n: number) {
      await new Promise((r) => setTimeout(r, (n * 7) % 5));
      return n * 2;
    });
    const run = agent(async function run(n: number) {
      const a = await step(n);
      await new Promise((r) => setImmediate(r));
      const b = await step(a);
      return b;
    });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => run(i)));
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i * 4));

    const trees = renderTrees(spanNodes(spans()));
    expect(trees).toHaveLength(200);
    for (const t of trees)
      expect(t).toBe(tree`
      run [agent]
        step [tool]
        step [tool]
    `);
    // Each trace's tool inputs chain from its own agent input: no cross-linking between concurrent calls.
    const byTrace = new Map<string, string[]>();
    for (const s of spans()) {
      const id = s.spanContext().traceId;
      byTrace.set(id, [...(byTrace.get(id) ?? []), `${s.name}:${s.attributes['fluxloop.input']}`]);
    }
    for (const entries of byTrace.values()) {
      const n = JSON.parse(entries.find((e) => e.startsWith('run:'))!.slice(4))[0] as number;
      expect(entries.filter((e) => e.startsWith('step:')).sort()).toEqual([`step:[${n * 2}]`, `step:[${n}]`].sort());
    }
    const { traces } = await env.records();
    expect(traces).toHaveLength(200);
  });

  it("a user's manual OTel span inside an agent call lands in the agent's trace", async () => {
    const run = agent(async function run() {
      const tracer = otel.getTracer('app');
      await tracer.startActiveSpan('db.query', async (span) => {
        await tool(async function inner() {})();
        span.end();
      });
    });
    await run();
    expect(renderTree(spanNodes(spans()))).toBe(tree`
      run [agent]
        db.query
          inner [tool]
    `);
    const { observations } = await env.records();
    expect(observations.find((o) => o.name === 'db.query')?.type).toBe('span');
  });

  it('an agent called inside an application span becomes its child, and the app span is the local root', async () => {
    const run = agent(function run() {
      return 1;
    });
    otel.getTracer('app').startActiveSpan('http.request', (span) => {
      run();
      span.end();
    });
    expect(renderTree(spanNodes(spans()))).toBe(tree`
      http.request
        run [agent]
    `);
    const { traces } = await env.records();
    expect(traces.map((t) => t.name)).toEqual(['http.request']);
  });

  it('a remote parent from a W3C traceparent makes the agent a local root of that trace', async () => {
    const run = agent(function run() {
      return 'ok';
    });
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const ctx = propagation.extract(context.active(), { traceparent });
    context.with(ctx, () => run());
    const span = spans()[0]!;
    expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    const { traces, observations } = await env.records();
    expect(traces).toHaveLength(1);
    expect(traces[0]!.root_observation_id).toBe(span.spanContext().spanId);
    expect(observations[0]!.parent_observation_id).toBe('b7ad6b7169203331');
  });
});

describe('function kinds', () => {
  it('keeps sync results, this, name and length, and never captures this', () => {
    class Counter {
      count = 5;
      add = trace(function add(this: Counter, by: number) {
        this.count += by;
        return this.count;
      });
    }
    const c = new Counter();
    expect(c.add(2)).toBe(7);
    expect(c.add.name).toBe('add');
    expect(c.add.length).toBe(1);
    expect(attr('add', 'fluxloop.input')).toBe('[2]');
    expect(attr('add', 'fluxloop.output')).toBe('7');
  });

  it('captures named arguments when paramNames are given, and nothing when capture is off', () => {
    trace((a: number, b: string) => `${a}${b}`, { name: 'named', paramNames: ['count', 'label'] })(3, 'x');
    trace((a: number) => a, { name: 'silent', captureInput: false, captureOutput: false })(1);
    expect(JSON.parse(attr('named', 'fluxloop.input') as string)).toEqual({ count: 3, label: 'x' });
    expect(attr('silent', 'fluxloop.input')).toBeUndefined();
    expect(attr('silent', 'fluxloop.output')).toBeUndefined();
  });

  it('traces sync generators; spans started inside the body are children; ends when consumed', () => {
    const child = tool(function child(n: number) {
      return n;
    });
    const gen = trace(function* counting(limit: number) {
      for (let i = 0; i < limit; i++) yield child(i);
      return 'done';
    });
    const it = gen(3);
    expect(spans()).toHaveLength(0);
    expect([...it]).toEqual([0, 1, 2]);
    expect(renderTree(spanNodes(spans()))).toBe(tree`
      counting [span]
        child [tool]
        child [tool]
        child [tool]
    `);
    expect(attr('counting', 'fluxloop.output')).toBe('[0,1,2]');
  });

  it('traces async generators and joins streamed text as the output', async () => {
    const stream = generation(async function* tokens() {
      yield 'Hel';
      yield 'lo';
    });
    let text = '';
    for await (const t of stream()) text += t;
    expect(text).toBe('Hello');
    // Streamed text is joined and kept as plain text (OpenInference's text/plain convention).
    expect(attr('tokens', 'fluxloop.output')).toBe('Hello');
    expect(attr('tokens', 'fluxloop.output.mime_type')).toBe('text/plain');
    expect(typeof attr('tokens', 'gen_ai.response.time_to_first_chunk')).toBe('number');
  });

  it('ends a generator span when the consumer breaks early, without an error', () => {
    const gen = trace(function* endless() {
      let i = 0;
      while (true) yield i++;
    });
    for (const v of gen()) if (v === 2) break;
    const span = spans()[0]!;
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['fluxloop.stream.cancelled']).toBe(true);
    expect(span.attributes['fluxloop.output']).toBe('[0,1,2]');
  });

  it('wraps an async-iterable result in a proxy that keeps its class, fields and private methods', async () => {
    class SdkStream {
      #chunks = ['a', 'b'];
      readonly controller = 'kept';
      toText() {
        return this.#chunks.join('');
      }
      async *[Symbol.asyncIterator]() {
        for (const c of this.#chunks) yield c;
      }
    }
    const call = generation(async function streamingCall() {
      return new SdkStream();
    });
    const result = await call();
    expect(result).toBeInstanceOf(SdkStream);
    expect(result.controller).toBe('kept');
    expect(result.toText()).toBe('ab');
    expect(spans()).toHaveLength(0); // still open until consumed
    const seen: string[] = [];
    for await (const c of result) seen.push(c);
    expect(seen).toEqual(['a', 'b']);
    expect(attr('streamingCall', 'fluxloop.output')).toBe('ab');
  });

  it('traces ReadableStreams: consumed, cancelled and failed', async () => {
    const make = (fail: boolean) =>
      new ReadableStream<string>({
        start(c) {
          c.enqueue('x');
          c.enqueue('y');
          if (fail) c.error(new Error('stream broke'));
          else c.close();
        },
      });
    const ok = trace(function okStream() {
      return make(false);
    });
    const reader = ok().getReader();
    const parts: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    expect(parts).toEqual(['x', 'y']);

    const cancelled = trace(function cancelledStream() {
      return make(false);
    });
    const r2 = cancelled().getReader();
    await r2.read();
    await r2.cancel('enough');

    const failing = trace(function failingStream() {
      return make(true);
    });
    await expect(new Response(failing()).text()).rejects.toThrow('stream broke');

    expect(attr('okStream', 'fluxloop.output')).toBe('xy');
    expect(attr('cancelledStream', 'fluxloop.stream.cancelled')).toBe(true);
    const failed = spans().find((s) => s.name === 'failingStream')!;
    expect(failed.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'Error: stream broke' });
  });
});

describe('errors', () => {
  it('re-throws the very same error, records it, and marks span and record as errors', async () => {
    const boom = new TypeError('bad input');
    const failing = tool(function failing() {
      throw boom;
    });
    const rejecting = agent(async function rejecting() {
      await Promise.resolve();
      failing();
    });
    let caught: unknown;
    await rejecting().catch((e) => {
      caught = e;
    });
    expect(caught).toBe(boom);
    expect(renderTree(spanNodes(spans()))).toBe(tree`
      rejecting [agent] ERROR
        failing [tool] ERROR
    `);
    const failed = spans().find((s) => s.name === 'failing')!;
    expect(failed.status.message).toBe('TypeError: bad input');
    expect(failed.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad input' },
    });
    const { traces, observations } = await env.records();
    expect(traces[0]).toMatchObject({ status: 'error', error: 'TypeError: bad input' });
    expect(observations.every((o) => o.level === 'error')).toBe(true);
  });

  it('a generator that throws ends its span with error status', () => {
    const gen = trace(function* breaks() {
      yield 1;
      throw new Error('mid-stream');
    });
    expect(() => [...gen()]).toThrow('mid-stream');
    expect(spans()[0]!.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('decorators (TC39, compiled by TypeScript)', () => {
  it('wraps methods, names spans Class.method, keeps this; static methods too', async () => {
    const compiled = compileFixture(path.join(import.meta.dirname, 'fixtures/decorated.ts'));
    const { SupportAgent } = (await import(pathToFileURL(compiled).href)) as typeof import('./fixtures/decorated.js');
    await expect(new SupportAgent().handle('refund')).resolves.toBe('hi [refund]');
    expect(SupportAgent.version()).toBe('1');
    expect(renderTrees(spanNodes(spans()))).toEqual([
      tree`
        SupportAgent.handle [agent]
          kb.search [tool]
      `,
      'SupportAgent.version [tool]',
    ]);
    expect(attr('SupportAgent.handle', 'gen_ai.agent.name')).toBe('SupportAgent.handle');
    // A lone string argument is kept as plain text on the span; records restore the list (records.test.ts).
    expect(attr('SupportAgent.handle', 'fluxloop.input')).toBe('refund');
    expect(attr('SupportAgent.handle', 'fluxloop.input.mime_type')).toBe('text/plain');
  });
});
