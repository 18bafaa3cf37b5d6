// LangGraph overhead: the time a tracing callback handler adds to one LangGraph invoke, FluxLoop next to
// LangChain's own no-op handler and two peers, all in one process, cases interleaved.
//
// The graph (the same compiled graph for every case): a two-node StateGraph, START → agent → lookup → END. `agent`
// calls a FakeListChatModel (@langchain/core/utils/testing, fixed response, no sleep) with one HumanMessage;
// `lookup` calls a real tool() with a zod schema. Both nodes pass their config on. One invoke emits runs for the
// graph, two nodes, the model and the tool, plus the hidden runs LangGraph marks `langsmith:hidden` (__start__,
// channel writes); what a handler makes spans of is its own choice ("exported/invoke" in the table; the JSON lists
// the span names): FluxLoop skips hidden runs (5 spans), Langfuse and OpenInference also make one of __start__ (6).
//
// Cases (what each includes, so that fairness can be judged):
// (a) no handler: invoke(input). LangChain creates no callback manager at all: the baseline.
// (b) LangChain's no-op handler: a BaseCallbackHandler subclass with a name and no methods, passed as
//     { callbacks: [handler] }; default awaitHandlers (LangChain queues its callbacks in the background).
// (c) FluxLoopCallbackHandler, { callbacks: [handler] }, FluxLoop configured (default capture mode `redacted`:
//     inputs and outputs normalized, serialized, redacted into span attributes), its spans going to a
//     NodeTracerProvider whose only processor is a BatchSpanProcessor (queue 65,536, batch 512, delay 200 ms:
//     FluxLoop's own batch defaults) with a counting no-op exporter. The handler awaits its callbacks.
// (d) FluxLoopCallbackHandler, { callbacks: [handler] }, the real pipeline: configure({ storage: 'none' }), i.e.
//     FluxLoop's own provider with FluxLoopSpanProcessor; the span is copied into a batch on the caller's thread,
//     records are built and encoded on the export worker thread and then discarded by the `none` storage.
// (e) Langfuse: `CallbackHandler` of @langfuse/langchain 5.11.1 with @langfuse/tracing 5.11.1, { callbacks:
//     [handler] }, default options (background callbacks); its tracer provider set with setLangfuseTracerProvider()
//     to a provider set up exactly as in (c).
// (f) OpenInference: LangChainInstrumentation of @arizeai/openinference-instrumentation-langchain 4.1.1 with
//     { tracerProvider } set up exactly as in (c), manuallyInstrument()-ing the ESM
//     `@langchain/core/callbacks/manager` module the graph uses (it wraps CallbackManager._configureSync to add
//     its BaseTracer to every run); invoke(input) without callbacks. The patch is applied only while (f) runs
//     and removed (unpatch) before any other case runs.
// Peers are installed on demand into .bench/peers (see _peers.mjs), sharing the workspace's single copies of
// @langchain/* and @opentelemetry/* (asserted below, both by resolution and by instanceof).
//
// Method: WARMUP invokes of each case, then ROUNDS rounds (default 21 × 200: short blocks, so that a burst of load
// from elsewhere on the machine spoils few rounds); in each, every case runs INVOKES invokes back to back
// (order rotated per round). The timed window of a case is the invoke loop plus awaitAllCallbacks(), so work a
// handler leaves queued in LangChain's background callback queue counts too; span export inside that window
// happens as it would in an app (BatchSpanProcessor timers, FluxLoop's hand-off to its worker). Each case's
// processor is flushed after its window, outside it. Reported: median over rounds of the per-round mean µs per
// invoke, added µs over (a), added relative to (b)'s added µs, and also the CPU per invoke over the window plus
// the flush (all threads: FluxLoop's export worker included), which wall time alone does not show on 2 cores.
// Every case with a handler must export spans (a handler that exports nothing is a broken setup: exit 1), and no
// provider may receive spans outside its own case (every sink is flushed after each window, outside it, and
// counted). A peer that cannot be installed or loaded is reported as unavailable with the reason; the goal check
// then says which part could not be made (and the exit code is 1).
// BENCH_JSON_OUT=file also writes the results as JSON. BENCH_ROUNDS, BENCH_INVOKES, BENCH_WARMUP override sizes.
import fs from 'node:fs';
import { FluxLoopCallbackHandler } from '@fluxloop/langchain';
import { configure } from '@fluxloop/sdk';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import * as callbackManagerModule from '@langchain/core/callbacks/manager';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { HumanMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { BaseTracer } from '@langchain/core/tracers/base';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { trace } from '@opentelemetry/api';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { z } from 'zod';
import { ensurePeers, importPeer, PINS, verifyShared } from './_peers.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const INVOKES = Number(process.env.BENCH_INVOKES ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
/** FluxLoop's own batch defaults, used for every BatchSpanProcessor here. */
const BATCH = { maxQueueSize: 65_536, maxExportBatchSize: 512, scheduledDelayMillis: 200 };
const GOAL_RATIO = 1.2;

const log = (m) => process.stderr.write(`[langgraph-overhead] ${m}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

// ---- the graph -------------------------------------------------------------------------------------------------

function buildGraph() {
  const State = Annotation.Root({
    question: Annotation(),
    answer: Annotation(),
    status: Annotation(),
  });
  const model = new FakeListChatModel({ responses: ['Order 42 left the warehouse on Monday; it arrives Thursday.'] });
  const lookupOrder = tool(async ({ orderId }) => `order ${orderId}: shipped, arriving Thursday`, {
    name: 'lookup_order',
    description: 'Looks up the shipping status of an order.',
    schema: z.object({ orderId: z.string() }),
  });
  return new StateGraph(State)
    .addNode('agent', async (state, config) => {
      const reply = await model.invoke([new HumanMessage(state.question)], config);
      return { answer: reply.content };
    })
    .addNode('lookup', async (_state, config) => ({ status: await lookupOrder.invoke({ orderId: '42' }, config) }))
    .addEdge(START, 'agent')
    .addEdge('agent', 'lookup')
    .addEdge('lookup', END)
    .compile();
}

const INPUT = { question: 'Where is my order 42?' };

// ---- tracing setups --------------------------------------------------------------------------------------------

/** A NodeTracerProvider whose only processor is a BatchSpanProcessor with a counting no-op exporter. */
function bspProvider() {
  const counter = { exported: 0 };
  const names = new Set();
  const exporter = {
    export(spans, done) {
      counter.exported += spans.length;
      for (const span of spans) names.add(span.name);
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  const processor = new BatchSpanProcessor(exporter, BATCH);
  const provider = new NodeTracerProvider({ spanProcessors: [processor] });
  return {
    provider,
    count: () => counter.exported,
    flush: () => processor.forceFlush(),
    names: () => [...names].sort(),
  };
}

function setGlobalProvider(provider) {
  trace.disable();
  if (!trace.setGlobalTracerProvider(provider)) throw new Error('could not register the global tracer provider');
}

class NoopHandler extends BaseCallbackHandler {
  name = 'bench_noop_handler';
}

async function loadLangfuse(shared) {
  if (shared.error) throw new Error(shared.error);
  const problems = [
    ...verifyShared('@langfuse/langchain', ['@langchain/core', '@opentelemetry/api']),
    ...verifyShared('@langfuse/tracing', ['@opentelemetry/api']),
  ];
  if (problems.length > 0) throw new Error(`not sharing the workspace's copies: ${problems.join('; ')}`);
  const { CallbackHandler } = await importPeer('@langfuse/langchain');
  const { setLangfuseTracerProvider } = await importPeer('@langfuse/tracing');
  const handler = new CallbackHandler();
  if (!(handler instanceof BaseCallbackHandler)) throw new Error('its BaseCallbackHandler is another @langchain/core');
  return { handler, setLangfuseTracerProvider };
}

async function loadOpenInference(shared) {
  if (shared.error) throw new Error(shared.error);
  const problems = [
    ...verifyShared('@arizeai/openinference-instrumentation-langchain', [
      '@langchain/core',
      '@opentelemetry/api',
      '@opentelemetry/core',
    ]),
    ...verifyShared('@arizeai/openinference-core', ['@opentelemetry/api', '@opentelemetry/core']),
    ...verifyShared('@opentelemetry/instrumentation', ['@opentelemetry/api']),
  ];
  if (problems.length > 0) throw new Error(`not sharing the workspace's copies: ${problems.join('; ')}`);
  const oi = await importPeer('@arizeai/openinference-instrumentation-langchain');
  return oi;
}

// ---- cases -----------------------------------------------------------------------------------------------------

/**
 * A case: label; invoke(); enter()/leave() around its window; flush(); count() of what it exported so far
 * (spans, or FluxLoop records for (d)); unavailable: the reason it cannot run.
 */
async function setupCases(graph) {
  // FluxLoop first, while no provider is registered: configure() then registers its own provider (with the
  // AsyncLocalStorage context manager every case uses) carrying a FluxLoopSpanProcessor.
  const client = configure({ storage: 'none' });
  const fluxProvider = trace.getTracerProvider().getDelegate?.();
  if (!client.processor || !fluxProvider) throw new Error('configure() did not register its own provider');

  const plain = () => graph.invoke(INPUT);
  const withHandler = (handler) => () => graph.invoke(INPUT, { callbacks: [handler] });
  const nothing = async () => {};

  const cases = [];
  cases.push({ key: 'a', label: 'no handler', invoke: plain, expectsSpans: false });
  cases.push({
    key: 'b',
    label: 'LangChain no-op handler',
    invoke: withHandler(new NoopHandler()),
    expectsSpans: false,
  });

  const c = bspProvider();
  cases.push({
    key: 'c',
    label: 'FluxLoop handler → BSP + no-op exporter',
    invoke: withHandler(new FluxLoopCallbackHandler({ name: 'fluxloop_bench_c' })),
    enter: () => setGlobalProvider(c.provider),
    leave: () => setGlobalProvider(fluxProvider),
    flush: c.flush,
    count: c.count,
    names: c.names,
    unit: 'spans',
    expectsSpans: true,
  });

  cases.push({
    key: 'd',
    label: "FluxLoop handler → FluxLoop pipeline (storage 'none')",
    invoke: withHandler(new FluxLoopCallbackHandler({ name: 'fluxloop_bench_d' })),
    flush: () => client.forceFlush(),
    count: () => client.processor.stats().storage.accepted,
    dropped: () => client.processor.stats().dropped,
    unit: 'records',
    expectsSpans: true,
  });

  const shared = ensurePeers(log);
  const peerSetup = { installMs: shared.installMs, installed: shared.installed, removed: shared.removed };

  const e = bspProvider();
  try {
    const lf = await loadLangfuse(shared);
    lf.setLangfuseTracerProvider(e.provider);
    cases.push({
      key: 'e',
      label: `Langfuse CallbackHandler ${PINS['@langfuse/langchain']} → BSP + no-op`,
      invoke: withHandler(lf.handler),
      flush: e.flush,
      count: e.count,
      names: e.names,
      unit: 'spans',
      expectsSpans: true,
    });
  } catch (err) {
    cases.push({ key: 'e', label: 'Langfuse CallbackHandler', unavailable: reason(err) });
  }

  const f = bspProvider();
  try {
    const oi = await loadOpenInference(shared);
    const instrumentation = new oi.LangChainInstrumentation({ tracerProvider: f.provider });
    const manager = callbackManagerModule.CallbackManager;
    const original = manager._configureSync;
    // Check the patch on and off once before measuring: its tracer must be a BaseTracer of our @langchain/core.
    instrumentation.manuallyInstrument(callbackManagerModule);
    if (manager._configureSync === original) throw new Error('manuallyInstrument() did not patch _configureSync');
    const probe = manager._configureSync(undefined, undefined);
    const added = probe?.handlers ?? [];
    if (!added.some((h) => h instanceof BaseTracer)) throw new Error('its tracer is not a BaseTracer of this copy');
    instrumentation.unpatch(callbackManagerModule);
    if (manager._configureSync !== original) throw new Error('unpatch() did not restore _configureSync');
    cases.push({
      key: 'f',
      label: `OpenInference LangChainInstrumentation ${PINS['@arizeai/openinference-instrumentation-langchain']} → BSP + no-op`,
      invoke: plain,
      enter: () => instrumentation.manuallyInstrument(callbackManagerModule),
      leave: () => {
        instrumentation.unpatch(callbackManagerModule);
        if (manager._configureSync !== original) throw new Error('unpatch() did not restore _configureSync');
      },
      flush: f.flush,
      count: f.count,
      names: f.names,
      unit: 'spans',
      expectsSpans: true,
    });
  } catch (err) {
    cases.push({ key: 'f', label: 'OpenInference LangChainInstrumentation', unavailable: reason(err) });
  }

  for (const cs of cases) {
    cs.enter ??= () => {};
    cs.leave ??= () => {};
    cs.flush ??= nothing;
    cs.count ??= () => 0;
    cs.dropped ??= () => 0;
    cs.names ??= () => undefined;
    cs.rounds = [];
    cs.produced = 0;
  }
  return { cases, client, peerSetup };
}

const reason = (err) => String(err?.message ?? err).split('\n')[0];

// ---- measurement -----------------------------------------------------------------------------------------------

/** Checks that nothing was exported to any case's sink while another case ran. */
function snapshot(cases) {
  return cases.filter((c) => !c.unavailable).map((c) => [c, c.count()]);
}

async function runCase(cs, invokes, all) {
  const before = snapshot(all);
  cs.enter();
  let cpuUs = 0;
  let us = 0;
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < invokes; i++) await cs.invoke();
    await awaitAllCallbacks();
    us = ((performance.now() - t0) * 1000) / invokes;
    await cs.flush();
    const cpu = process.cpuUsage(cpu0);
    cpuUs = (cpu.user + cpu.system) / invokes;
  } finally {
    cs.leave();
  }
  // Anything that reached another case's sink during this window must show up in its count now.
  for (const other of all) if (other !== cs) await other.flush();
  for (const [other, n] of before) {
    const delta = other.count() - n;
    if (other === cs) cs.produced += delta;
    else if (delta !== 0) {
      throw new Error(`case (${other.key}) received ${delta} ${other.unit} while case (${cs.key}) ran`);
    }
  }
  return { us, cpuUs };
}

export async function run() {
  const graph = buildGraph();
  const { cases, client, peerSetup } = await setupCases(graph);
  const live = cases.filter((c) => !c.unavailable);
  for (const c of cases.filter((c) => c.unavailable)) log(`(${c.key}) ${c.label}: UNAVAILABLE: ${c.unavailable}`);

  log(`warm-up: ${WARMUP} invokes per case`);
  for (const cs of live) await runCase(cs, WARMUP, live);
  const warmProduced = new Map(live.map((c) => [c, c.produced]));
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    const k = r % live.length;
    const order = [...live.slice(k), ...live.slice(0, k)];
    for (const cs of order) cs.rounds.push(await runCase(cs, INVOKES, live));
    const elapsed = (performance.now() - t0) / 1000;
    log(`round ${r + 1}/${ROUNDS} done (${order.map((c) => c.key).join('')}), ${elapsed.toFixed(0)} s`);
  }
  await client.shutdown();

  const base = live.find((c) => c.key === 'a');
  const baseUs = median(base.rounds.map((x) => x.us));
  const rows = cases.map((c) => {
    if (c.unavailable) return { key: c.key, label: c.label, unavailable: c.unavailable };
    const us = median(c.rounds.map((x) => x.us));
    const measuredInvokes = ROUNDS * INVOKES;
    const produced = c.produced - warmProduced.get(c);
    return {
      key: c.key,
      label: c.label,
      us,
      addedUs: us - baseUs,
      // Paired per round (each round's case minus the same round's (a)): less sensitive to drift.
      addedPairedUs: median(c.rounds.map((x, i) => x.us - base.rounds[i].us)),
      cpuUs: median(c.rounds.map((x) => x.cpuUs)),
      minUs: Math.min(...c.rounds.map((x) => x.us)),
      maxUs: Math.max(...c.rounds.map((x) => x.us)),
      perInvoke: c.expectsSpans ? produced / measuredInvokes : undefined,
      unit: c.unit,
      dropped: c.dropped(),
      spanNames: c.names(),
      rounds: c.rounds,
    };
  });
  const b = rows.find((r) => r.key === 'b');
  for (const r of rows) if (!r.unavailable) r.relativeToNoop = r.key === 'a' ? undefined : r.addedUs / b.addedUs;

  const problems = [];
  for (const c of live) {
    const row = rows.find((r) => r.key === c.key);
    if (c.expectsSpans && !(row.perInvoke > 0)) problems.push(`(${c.key}) ${c.label} exported no ${c.unit}`);
    if (row.dropped > 0) problems.push(`(${c.key}) ${c.label} dropped ${row.dropped} spans`);
    // Every invoke is the same: a count that is not a whole multiple of the invokes means spans were lost.
    if (c.expectsSpans && !Number.isInteger(row.perInvoke)) {
      problems.push(`(${c.key}) ${c.label}: ${row.perInvoke} ${c.unit} per invoke is not a whole number (lost some?)`);
    }
  }
  for (const c of cases.filter((c) => c.unavailable)) problems.push(`(${c.key}) unavailable: ${c.unavailable}`);

  const goals = {};
  for (const fk of ['c', 'd']) {
    const flux = rows.find((r) => r.key === fk);
    const part = (peerKey) => {
      const peer = rows.find((r) => r.key === peerKey);
      if (peer.unavailable)
        return { met: null, why: `could not be made ((${peerKey}) unavailable)`, reason: peer.unavailable };
      return { met: flux.addedUs < peer.addedUs, fluxUs: flux.addedUs, peerUs: peer.addedUs };
    };
    goals[fk] = {
      belowLangfuse: part('e'),
      belowOpenInference: part('f'),
      withinNoop: { met: flux.addedUs <= GOAL_RATIO * b.addedUs, ratio: flux.relativeToNoop, limit: GOAL_RATIO },
    };
  }

  return {
    rounds: ROUNDS,
    invokesPerRound: INVOKES,
    warmup: WARMUP,
    peers: { pins: PINS, ...peerSetup },
    cases: rows,
    goals,
    problems,
    complete: problems.length === 0,
  };
}

// ---- report ----------------------------------------------------------------------------------------------------

function print(r) {
  const n = (x, w = 8, d = 0) => (x === undefined ? '—' : x.toFixed(d)).padStart(w);
  console.log(
    `LangGraph invoke overhead (${r.rounds} rounds × ${r.invokesPerRound} invokes, interleaved; ` +
      'median of per-round means)',
  );
  console.log(
    `${'case'.padEnd(66)} ${'µs/invoke'.padStart(9)} ${'added µs'.padStart(8)} ${'÷ (b)'.padStart(6)}` +
      ` ${'paired'.padStart(6)}  ${'CPU µs'.padStart(7)}  ${'rounds min–max'.padStart(14)}  exported/invoke`,
  );
  for (const c of r.cases) {
    const name = `(${c.key}) ${c.label}`.padEnd(66);
    if (c.unavailable) {
      console.log(`${name} unavailable: ${c.unavailable}`);
      continue;
    }
    const rel = c.relativeToNoop === undefined ? '—'.padStart(6) : `${c.relativeToNoop.toFixed(2)}×`.padStart(6);
    const added = c.key === 'a' ? '—'.padStart(8) : n(c.addedUs);
    const paired = c.key === 'a' ? '—'.padStart(6) : n(c.addedPairedUs, 6);
    const spread = `${c.minUs.toFixed(0)}–${c.maxUs.toFixed(0)}`.padStart(14);
    const exported = c.perInvoke === undefined ? '—' : `${c.perInvoke.toFixed(2)} ${c.unit}`;
    console.log(`${name} ${n(c.us, 9)} ${added} ${rel} ${paired}  ${n(c.cpuUs, 7)}  ${spread}  ${exported}`);
  }
  console.log(
    "added µs = median(case) − median(a); ÷ (b) = added ÷ (b)'s added; paired = median over rounds of (case − (a)) " +
      'in the same round; CPU µs = all threads, window + flush. (d) records per invoke = one observation per span ' +
      '(5) + 2 state.transition events + 1 trace.',
  );
  const b = r.cases.find((c) => c.key === 'b');
  console.log(
    `goal: FluxLoop's added cost below both peers and ≤ ${GOAL_RATIO}× the no-op handler's ` +
      `(${GOAL_RATIO} × ${b.addedUs.toFixed(0)} = ${(GOAL_RATIO * b.addedUs).toFixed(0)} µs)`,
  );
  const verdict = (p) => (p.met === null ? p.why : p.met ? 'met' : 'NOT met');
  for (const [fk, g] of Object.entries(r.goals)) {
    const flux = r.cases.find((c) => c.key === fk);
    console.log(
      `  (${fk}) +${flux.addedUs.toFixed(0)} µs: below Langfuse: ${verdict(g.belowLangfuse)}; ` +
        `below OpenInference: ${verdict(g.belowOpenInference)}; ` +
        `≤ ${GOAL_RATIO}× no-op (${g.withinNoop.ratio.toFixed(2)}×): ${verdict(g.withinNoop)}`,
    );
  }
  const p = r.peers;
  console.log(
    `peers: ${p.installed ? `installed in ${(p.installMs / 1000).toFixed(1)} s` : 'already installed'}` +
      `${p.removed.length ? `; removed duplicate ${p.removed.map((x) => `${x.name}@${x.version}`).join(', ')}` : ''}`,
  );
  for (const problem of r.problems) console.log(`PROBLEM: ${problem}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  print(result);
  if (process.env.BENCH_JSON_OUT) fs.writeFileSync(process.env.BENCH_JSON_OUT, JSON.stringify(result, null, 2));
  if (!result.complete) process.exitCode = 1;
}
