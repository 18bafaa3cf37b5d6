import { createRequire } from 'node:module';

/**
 * A process-target agent speaking the JSONL protocol, as a user would write it. What it does depends on the input:
 * "crash" exits mid-run, "fail" answers with an error, "hang" never answers, "stubborn" never answers and ignores
 * SIGTERM, "grandchild" starts a child of its own and hangs, "wrong id" first answers for another run; anything
 * else is echoed word by word as deltas and then as a final output describing what the agent saw. It logs to
 * stdout and stderr on the way, and prints its pid on stderr when it starts.
 */
export const ECHO_AGENT = String.raw`
import { spawn } from 'node:child_process';
import readline from 'node:readline';

console.error('pid ' + process.pid);
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const message = JSON.parse(line);
  const reply = (fields) => process.stdout.write(JSON.stringify({ id: message.id, ...fields }) + '\n');
  console.log('log: got ' + JSON.stringify(message.input));
  process.stdout.write('{"not":"a protocol message"}\n');
  switch (message.input) {
    case 'crash':
      console.error('about to crash, key ' + process.env.OPENAI_API_KEY);
      process.exit(3);
    case 'fail':
      return reply({ type: 'error', message: 'cannot do it, key ' + process.env.OPENAI_API_KEY });
    case 'hang':
      return;
    case 'stubborn':
      process.on('SIGTERM', () => console.error('ignoring SIGTERM'));
      return;
    case 'grandchild': {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.error('grandchild ' + child.pid);
      return;
    }
    case 'wrong id':
      process.stdout.write(JSON.stringify({ type: 'final', id: 'someone-else', output: 'not mine' }) + '\n');
  }
  for (const word of String(message.input).split(' ')) reply({ type: 'delta', text: word });
  reply({
    type: 'final',
    output: {
      input: message.input,
      persona: message.persona,
      iteration: message.iteration,
      traceparent: message.traceparent,
      pid: process.pid,
      cwd: process.cwd(),
      env: Object.fromEntries(
        ['TRACEPARENT', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_SERVICE_NAME', 'GREETING']
          .map((name) => [name, process.env[name] ?? null]),
      ),
    },
  });
});
`;

const resolve = createRequire(import.meta.url).resolve;

/**
 * An agent instrumented with the real OpenTelemetry SDK, as a user's would be: NodeTracerProvider with a
 * BatchSpanProcessor and the OTLP/HTTP exporter configured only by the environment the runner gives it
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME). Each run is a span "agent-work" whose parent is the run's traceparent (the
 * TRACEPARENT variable in per_run mode, the input message in persistent mode). In persistent mode it flushes before
 * answering; in per_run mode its spans leave only when it shuts down after stdin closes. The workspace's OTel
 * packages are required by absolute path, so the agent runs from any folder.
 */
export function otelAgent(mode: 'per_run' | 'persistent'): string {
  const modules = {
    api: resolve('@opentelemetry/api'),
    node: resolve('@opentelemetry/sdk-trace-node'),
    base: resolve('@opentelemetry/sdk-trace-base'),
    exporter: resolve('@opentelemetry/exporter-trace-otlp-http'),
    resources: resolve('@opentelemetry/resources'),
  };
  return String.raw`
const api = require(${JSON.stringify(modules.api)});
const { NodeTracerProvider } = require(${JSON.stringify(modules.node)});
const { BatchSpanProcessor } = require(${JSON.stringify(modules.base)});
const { OTLPTraceExporter } = require(${JSON.stringify(modules.exporter)});
const { detectResources, envDetector } = require(${JSON.stringify(modules.resources)});
const readline = require('node:readline');

// A bare provider does not read OTEL_SERVICE_NAME by itself in OTel JS 2.x: the env detector does.
const provider = new NodeTracerProvider({
  resource: detectResources({ detectors: [envDetector] }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
provider.register();
const tracer = api.trace.getTracer('otel-agent');
const persistent = ${JSON.stringify(mode === 'persistent')};

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  const message = JSON.parse(line);
  const traceparent = persistent ? message.traceparent : process.env.TRACEPARENT;
  const parent = api.propagation.extract(api.ROOT_CONTEXT, { traceparent });
  const span = tracer.startSpan('agent-work', { attributes: { 'app.input': message.input } }, parent);
  span.end();
  if (persistent) await provider.forceFlush();
  process.stdout.write(JSON.stringify({ type: 'final', id: message.id, output: 'done ' + message.input }) + '\n');
});
rl.on('close', async () => {
  await provider.shutdown();
});
`;
}
