import { expandTemplate } from '../../../project/env-template.js';
import type { ProcessTarget } from '../../../project/types.js';

type Env = Readonly<Record<string, string | undefined>>;

// Inherited values of these would send the spans somewhere else (the traces-specific ones win over the generic
// ones in every OTel SDK) or tie a persistent process to one run's trace.
const INHERITED_BUT_REPLACED = [
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'TRACEPARENT',
  'TRACESTATE',
];

/**
 * The environment of a process target, lowest precedence first: the project environment (the .env under the real
 * environment), then the OTLP settings that send the process's spans to the experiment's receiver, then
 * runner.process.env (its ${NAME}s expanded; set OTEL_* there only to send spans elsewhere on purpose).
 * OTEL_SERVICE_NAME defaults to the project name. TRACEPARENT is added per run in per_run mode.
 */
export function childEnvironment(
  config: ProcessTarget,
  env: Env,
  otlpEndpoint: string,
  serviceName: string,
  /** Names a key under runner.process for messages (`configs/simulation.yaml:9:12: runner.process.env.KEY`). */
  where: (key: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !INHERITED_BUT_REPLACED.includes(name)) out[name] = value;
  }
  out.OTEL_EXPORTER_OTLP_ENDPOINT = otlpEndpoint;
  out.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
  for (const [name, template] of Object.entries(config.env)) {
    out[name] = expandTemplate(template, where(`env.${name}`), {}, env);
  }
  out.OTEL_SERVICE_NAME ??= serviceName;
  return out;
}
