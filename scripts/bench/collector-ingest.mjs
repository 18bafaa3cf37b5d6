// Collector ingest: spans/s the FluxLoop collector takes from the official OTLP/HTTP JSON exporter on loopback,
// next to the rate the same exporter reaches against a receiver that discards bodies, in the same run.
//
// This process is the generator: a NodeTracerProvider with a BatchSpanProcessor and @opentelemetry/exporter-trace-
// otlp-http, ending realistic spans (10 attributes and a 200-byte input; traces of a root and 9 children). Each
// receiver runs in a child process of its own (so generator and receiver never share a thread), started fresh per
// round, rounds interleaved collector / discard:
//   - collector: startCollector() from the built @fluxloop/collector, writing to a temp folder;
//   - discard:   a bare node:http server that reads and drops each body and answers 200 {};
//   - parse:     the same, but JSON.parses each body first: a reference for the least any JSON receiver does.
// Nothing may be dropped: the queue, the batch size and the exporter's concurrencyLimit are sized together, the
// generator waits while too many ended spans are unacknowledged, and the spans the exporter saw acknowledged are
// counted and compared with the spans ended. The collector must also have written every span (line counts).
// The rate is spans acknowledged / (first span started → last one acknowledged). The collector child reports its
// CPU time (process.cpuUsage) and event-loop utilization over the measured window.
//
//   BENCH_SPANS (default 200000) per measurement, BENCH_ROUNDS (default 5) per receiver, BENCH_JSON_OUT=file.
//   BENCH_PROFILE=1 runs the collector children under `node --cpu-prof` and prints its top self-time functions.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const role = process.argv[2];

// ---------------------------------------------------------------------------------------------- receivers

/** Receiver protocol: prints {"port"}; stdin `mark` starts the measured window, `stop` ends it and reports. */
function receiverControl(onMark, onStop) {
  const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  let buffered = '';
  process.stdin.setEncoding('utf8').on('data', async (d) => {
    buffered += d;
    for (let i = buffered.indexOf('\n'); i !== -1; i = buffered.indexOf('\n')) {
      const command = buffered.slice(0, i).trim();
      buffered = buffered.slice(i + 1);
      if (command === 'mark') out({ marked: onMark() });
      if (command === 'stop') {
        out({ report: await onStop() });
        process.stdin.destroy();
      }
    }
  });
  return out;
}

function measuredWindow() {
  let cpu0;
  let elu0;
  return {
    mark() {
      cpu0 = process.cpuUsage();
      elu0 = performance.eventLoopUtilization();
      return true;
    },
    end() {
      const cpu = process.cpuUsage(cpu0);
      return {
        cpuUs: cpu.user + cpu.system,
        userUs: cpu.user,
        systemUs: cpu.system,
        elu: performance.eventLoopUtilization(elu0).utilization,
      };
    },
  };
}

async function collectorChild() {
  const { startCollector } = await import('@fluxloop/collector');
  const outputDir = process.env.BENCH_COLLECTOR_DIR;
  const collector = await startCollector({
    outputDir,
    port: 0,
    reporter: { warn: (_key, message) => process.stderr.write(`[collector] ${message}\n`) },
  });
  const w = measuredWindow();
  const out = receiverControl(w.mark, async () => {
    const measured = w.end();
    await collector.close(); // writes everything and closes the files before the parent counts lines
    return { ...measured, stats: collector.stats() };
  });
  out({ port: collector.port });
}

/** `discard` drops each body; `parse` (a reference: the floor of any JSON receiver) JSON.parses it first. */
async function discardChild(parse) {
  let requests = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => {
      bytes += chunk.length;
      if (parse) chunks.push(chunk);
    });
    req.on('end', () => {
      requests++;
      if (parse) JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const w = measuredWindow();
  const out = receiverControl(w.mark, async () => {
    const measured = w.end();
    server.close();
    server.closeIdleConnections();
    return { ...measured, requests, bytes };
  });
  out({ port: server.address().port });
}

// ---------------------------------------------------------------------------------------------- generator

const SPANS = Number(process.env.BENCH_SPANS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP_SPANS = Math.min(SPANS, 50_000);
const SPANS_PER_TRACE = 10;
// One batch per request; the BSP sends one batch at a time, but forceFlush() sends the whole queue at once, so the
// exporter must accept queue / batch concurrent exports or it rejects (loses) the rest.
const BATCH = 1024;
const QUEUE = 32_768;
const CONCURRENCY = Math.ceil(QUEUE / BATCH) + 2;
// The generator waits while more spans than this are ended and not yet acknowledged: the queue never overflows.
const MAX_UNACKED = QUEUE / 2;

const words = 'the agent looked up the order and found that the parcel left the warehouse on monday'.split(' ');
let text = '';
for (let i = 0; text.length < 200; i++) text += `${words[(i * 7) % words.length]} `;
const INPUT = text.slice(0, 200);
const ATTRIBUTES = {
  'gen_ai.system': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.usage.input_tokens': 412,
  'gen_ai.usage.output_tokens': 58,
  'app.user_id': 'user-1042',
  'app.session_id': 'session-77',
  'app.step': 3,
  'app.cache_hit': false,
  'app.region': 'eu-west-1',
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function generate(url, spans) {
  const [
    { context, trace },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BatchSpanProcessor },
    { NodeTracerProvider },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  let acked = 0;
  let failed = 0;
  let wake;
  const otlp = new OTLPTraceExporter({ url: `${url}/v1/traces`, concurrencyLimit: CONCURRENCY, timeoutMillis: 30_000 });
  const counting = {
    export(batch, done) {
      otlp.export(batch, (result) => {
        if (result.code === 0) acked += batch.length;
        else failed += batch.length;
        wake?.();
        done(result);
      });
    },
    shutdown: () => otlp.shutdown(),
    forceFlush: () => otlp.forceFlush(),
  };
  const processor = new BatchSpanProcessor(counting, {
    maxQueueSize: QUEUE,
    maxExportBatchSize: BATCH,
    scheduledDelayMillis: 20,
    exportTimeoutMillis: 30_000,
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench-ingest' }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('collector-ingest-bench');

  let ended = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (ended < spans) {
    if (ended - acked - failed > MAX_UNACKED) {
      await new Promise((resolve) => {
        wake = resolve;
      });
      continue;
    }
    const root = tracer.startSpan('agent.run', { attributes: ATTRIBUTES });
    root.setAttribute('input.value', INPUT);
    const parent = trace.setSpan(context.active(), root);
    for (let i = 1; i < SPANS_PER_TRACE; i++) {
      const child = tracer.startSpan('tool.call', { attributes: ATTRIBUTES }, parent);
      child.setAttribute('input.value', INPUT);
      child.end();
    }
    root.end();
    ended += SPANS_PER_TRACE;
    // Let responses and the processor's timer run between traces now and then.
    if (ended % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await provider.forceFlush();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await provider.shutdown();
  return { ended, acked, failed, ms, rate: (acked / ms) * 1000, generatorCpuUs: (cpu.user + cpu.system) / spans };
}

function startReceiver(kind, profileDir) {
  const outputDir = kind === 'collector' ? fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-ingest-')) : undefined;
  const flags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const child = spawn(process.execPath, [...flags, SELF, kind], {
    cwd: path.dirname(SELF),
    env: { ...process.env, BENCH_COLLECTOR_DIR: outputDir ?? '' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const messages = [];
  const waiters = [];
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    buffered += d;
    for (let i = buffered.indexOf('\n'); i !== -1; i = buffered.indexOf('\n')) {
      messages.push(JSON.parse(buffered.slice(0, i)));
      buffered = buffered.slice(i + 1);
      for (const w of waiters.splice(0)) w();
    }
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const next = async (key) => {
    for (;;) {
      const found = messages.find((m) => key in m);
      if (found) return found[key];
      const ended = await Promise.race([new Promise((resolve) => waiters.push(() => resolve(false))), exited]);
      if (ended !== false) throw new Error(`${kind} receiver exited (code ${ended}) before sending ${key}`);
    }
  };
  return {
    outputDir,
    next,
    send: (command) => child.stdin.write(`${command}\n`),
    exited,
  };
}

function countLines(file) {
  if (!fs.existsSync(file)) return 0;
  const buf = fs.readFileSync(file);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

async function measure(kind, spans, profileDir) {
  const receiver = startReceiver(kind, profileDir);
  const port = await receiver.next('port');
  receiver.send('mark');
  await receiver.next('marked');
  const generated = await generate(`http://127.0.0.1:${port}`, spans);
  receiver.send('stop');
  const report = await receiver.next('report');
  const code = await receiver.exited;
  if (code !== 0) throw new Error(`${kind} receiver exited with code ${code}`);
  const result = {
    ...generated,
    receiverCpuUsPerSpan: report.cpuUs / generated.acked,
    receiverElu: report.elu,
  };
  if (kind === 'collector') {
    const dir = path.join(receiver.outputDir, 'bench-ingest');
    result.observationsWritten = countLines(path.join(dir, 'observations.jsonl'));
    result.tracesWritten = countLines(path.join(dir, 'traces.jsonl'));
    result.collectorSpans = report.stats.spans;
    result.collectorRejected = report.stats.rejectedSpans;
    result.collectorErrors = report.stats.errors;
    fs.rmSync(receiver.outputDir, { recursive: true, force: true });
  } else {
    result.requests = report.requests;
    result.bytesPerSpan = report.bytes / generated.acked;
  }
  return result;
}

export async function run() {
  const profileDir = process.env.BENCH_PROFILE
    ? fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-ingest-prof-'))
    : undefined;
  // Warm-up of the generator (its JIT) against each receiver, not counted.
  await measure('discard', WARMUP_SPANS);
  await measure('collector', WARMUP_SPANS);
  const rounds = { collector: [], discard: [], parse: [] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ['collector', 'discard', 'parse'] : ['parse', 'discard', 'collector'];
    for (const kind of order)
      rounds[kind].push(await measure(kind, spans(), kind === 'collector' ? profileDir : undefined));
  }
  const summary = (xs) => ({
    spansPerSec: median(xs.map((x) => x.rate)),
    receiverCpuUsPerSpan: median(xs.map((x) => x.receiverCpuUsPerSpan)),
    receiverElu: median(xs.map((x) => x.receiverElu)),
    generatorCpuUsPerSpan: median(xs.map((x) => x.generatorCpuUs)),
  });
  const result = {
    spansPerRound: SPANS,
    rounds: ROUNDS,
    batch: BATCH,
    collector: summary(rounds.collector),
    discard: summary(rounds.discard),
    parse: summary(rounds.parse),
    rounds_collector: rounds.collector,
    rounds_discard: rounds.discard,
    rounds_parse: rounds.parse,
  };
  result.ratio = result.collector.spansPerSec / result.discard.spansPerSec;
  result.parseRatio = result.parse.spansPerSec / result.discard.spansPerSec;
  // What one collector core could take if requests kept it busy all the time (many clients at once).
  result.collector.cpuCeilingSpansPerSec = 1e6 / result.collector.receiverCpuUsPerSpan;
  const all = [...rounds.collector, ...rounds.discard, ...rounds.parse];
  result.dropped = all.reduce((n, x) => n + (x.ended - x.acked), 0);
  result.failedExports = all.reduce((n, x) => n + x.failed, 0);
  result.collectorWroteAll = rounds.collector.every(
    (x) =>
      x.observationsWritten === x.ended &&
      x.tracesWritten === x.ended / SPANS_PER_TRACE &&
      x.collectorSpans === x.ended,
  );
  result.complete = result.dropped === 0 && result.failedExports === 0 && result.collectorWroteAll;
  if (profileDir) {
    result.profile = hotspots(profileDir);
    result.profileDir = profileDir;
  }
  return result;
}

function spans() {
  return SPANS - (SPANS % SPANS_PER_TRACE);
}

/** Self time per function over every .cpuprofile in dir (the collector children), as % of non-idle time. */
function hotspots(dir, top = 20) {
  const self = new Map();
  let total = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id).callFrame;
      const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
      const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
      const dt = profile.timeDeltas[i] ?? 0;
      if (frame.functionName === '(idle)') return;
      self.set(key, (self.get(key) ?? 0) + dt);
      total += dt;
    });
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, us]) => ({ fn, selfPct: (100 * us) / total }));
}

function print(r) {
  const rate = (x) => `${Math.round(x).toLocaleString('en-US')}`.padStart(9);
  const us = (x) => x.toFixed(2).padStart(6);
  console.log(
    `Collector ingest (${r.rounds} rounds × ${r.spansPerRound} spans per receiver, OTLP/HTTP JSON, batches of ${r.batch}, medians)`,
  );
  console.log(
    '                              spans/s   receiver CPU µs/span   receiver loop busy   generator CPU µs/span',
  );
  for (const [name, s] of [
    ['collector (startCollector)', r.collector],
    ['discard (read, drop, 200)', r.discard],
    ['parse (JSON.parse, 200)', r.parse],
  ]) {
    console.log(
      `${name.padEnd(27)} ${rate(s.spansPerSec)}   ${us(s.receiverCpuUsPerSpan)}                 ${(s.receiverElu * 100).toFixed(0).padStart(3)}%                ${us(s.generatorCpuUsPerSpan)}`,
    );
  }
  console.log(
    `ratio collector / discard   ${r.ratio.toFixed(3).padStart(9)}   (goal: ≥ 0.9, the collector is never the bottleneck)`,
  );
  console.log(
    `ratio parse / discard       ${r.parseRatio.toFixed(3).padStart(9)}   (reference: a receiver that only JSON.parses)`,
  );
  console.log(
    `collector CPU ceiling: ${rate(r.collector.cpuCeilingSpansPerSec).trim()} spans/s per core ` +
      `(1 / CPU per span: its most with enough concurrent clients)`,
  );
  console.log(
    `spans not acknowledged ${r.dropped}, failed exports ${r.failedExports}; collector wrote every span: ` +
      `${r.collectorWroteAll ? 'yes' : 'NO'}${r.complete ? '' : '  ← INCOMPLETE'}`,
  );
  if (r.profile) {
    console.log(`collector CPU profile (self time, % of busy time, all collector rounds; in ${r.profileDir}):`);
    for (const h of r.profile) console.log(`  ${h.selfPct.toFixed(1).padStart(5)}%  ${h.fn}`);
  }
}

// Last, after every top-level constant is initialized.
if (role === 'collector') await collectorChild();
else if (role === 'discard' || role === 'parse') await discardChild(role === 'parse');
else if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  print(result);
  if (process.env.BENCH_JSON_OUT) fs.writeFileSync(process.env.BENCH_JSON_OUT, JSON.stringify(result, null, 2));
  if (!result.complete) process.exitCode = 1;
}
