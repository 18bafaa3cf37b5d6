// SDK overhead: raw OpenTelemetry vs FluxLoop trace(), interleaved in one process.
//
// Raw: a span with 10 small attributes plus one 1 KB string attribute, BatchSpanProcessor + no-op exporter.
// FluxLoop: trace() with the same attributes and the same 1 KB string as input, redacted mode, through
// FluxLoopSpanProcessor into file storage; every record must be on disk and nothing dropped.
//
// Per round it measures (a) the time per span the caller sees (the call loop's wall time, yielding to the event
// loop every 512 calls so batch timers and hand-offs run inside the measured window) and (b) the total CPU per
// span (process.cpuUsage over the loop plus the flush to disk, all threads: the export worker included).
// Prints medians over ROUNDS rounds and the ratios FluxLoop / raw; BENCH_JSON_OUT=file also writes them as JSON.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configure, trace as traced } from '@fluxloop/sdk';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const SPANS = Number(process.env.BENCH_SPANS ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const YIELD_EVERY = 512;

const words = 'the agent looked up the order and found that the parcel left the warehouse on monday morning'.split(' ');
let text = '';
for (let i = 0; text.length < 1024; i++) text += `${words[(i * 7) % words.length]} `;
// A flat (non-rope) string, as text read from a socket or a file is.
const INPUT = Buffer.from(text.slice(0, 1024)).toString();
const ATTRIBUTES = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`app.attr_${i}`, `value-${i}`]));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function measure(callOnce, flush) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < SPANS; i++) {
    callOnce();
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await tick();
  }
  const callerMs = performance.now() - t0;
  await flush();
  const cpu = process.cpuUsage(cpu0);
  return { callerUs: (callerMs * 1000) / SPANS, cpuUs: (cpu.user + cpu.system) / SPANS };
}

function countLines(file) {
  if (!fs.existsSync(file)) return 0;
  const buf = fs.readFileSync(file);
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++;
  return n;
}

export async function run() {
  let rawExported = 0;
  const noopExporter = {
    export(spans, done) {
      rawExported += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
    forceFlush: async () => {},
  };
  // Sized so that the baseline drops nothing either: OTel's default queue (2048) drops most spans at this rate.
  const rawProcessor = new BatchSpanProcessor(noopExporter, {
    maxQueueSize: 65_536,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 200,
  });
  const rawTracer = new NodeTracerProvider({ spanProcessors: [rawProcessor] }).getTracer('raw-bench');
  const rawCall = () =>
    rawTracer.startActiveSpan('op', { attributes: ATTRIBUTES }, (span) => {
      span.setAttribute('input', INPUT);
      span.end();
    });

  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-bench-'));
  const client = configure({ outputDir, captureContent: 'redacted' });
  const op = traced((input) => input.length, { name: 'op', attributes: ATTRIBUTES });
  const fluxCall = () => op(INPUT);

  const raw = [];
  const flux = [];
  // Warm-up round of each, not counted.
  await measure(rawCall, () => rawProcessor.forceFlush());
  await measure(fluxCall, () => client.forceFlush());
  for (let r = 0; r < ROUNDS; r++) {
    raw.push(await measure(rawCall, () => rawProcessor.forceFlush()));
    flux.push(await measure(fluxCall, () => client.forceFlush()));
  }
  const stats = client.processor.stats();
  const observations = countLines(path.join(outputDir, 'observations.jsonl'));
  const traces = countLines(path.join(outputDir, 'traces.jsonl'));
  await client.shutdown();
  fs.rmSync(outputDir, { recursive: true, force: true });

  const expected = SPANS * (ROUNDS + 1);
  const result = {
    spansPerRound: SPANS,
    rounds: ROUNDS,
    raw: { callerUs: median(raw.map((x) => x.callerUs)), cpuUs: median(raw.map((x) => x.cpuUs)) },
    fluxloop: { callerUs: median(flux.map((x) => x.callerUs)), cpuUs: median(flux.map((x) => x.cpuUs)) },
    rounds_raw: raw,
    rounds_fluxloop: flux,
    dropped: stats.dropped,
    storageFailed: stats.storage.failed,
    recordsOnDisk: { observations, traces, expected },
    rawExported,
  };
  result.callerRatio = result.fluxloop.callerUs / result.raw.callerUs;
  result.cpuRatio = result.fluxloop.cpuUs / result.raw.cpuUs;
  result.complete = observations === expected && traces === expected && stats.dropped === 0;
  return result;
}

function print(r) {
  const f = (x) => x.toFixed(2).padStart(7);
  console.log(`SDK overhead (${r.rounds} rounds × ${r.spansPerRound} spans, medians, µs per span)`);
  console.log('                          caller   total CPU');
  console.log(`raw OTel (BSP, no-op)   ${f(r.raw.callerUs)}    ${f(r.raw.cpuUs)}`);
  console.log(`FluxLoop trace() → file ${f(r.fluxloop.callerUs)}    ${f(r.fluxloop.cpuUs)}`);
  console.log(`ratio                   ${f(r.callerRatio)}×   ${f(r.cpuRatio)}×   (goals: ≤ 1.5×, ≈ 2.3×)`);
  console.log(
    `records on disk: ${r.recordsOnDisk.observations} observations, ${r.recordsOnDisk.traces} traces of ` +
      `${r.recordsOnDisk.expected} expected; dropped ${r.dropped}; storage failures ${r.storageFailed}` +
      `${r.complete ? '' : '  ← INCOMPLETE'}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  print(result);
  if (process.env.BENCH_JSON_OUT) fs.writeFileSync(process.env.BENCH_JSON_OUT, JSON.stringify(result, null, 2));
  if (!result.complete) process.exitCode = 1;
}
