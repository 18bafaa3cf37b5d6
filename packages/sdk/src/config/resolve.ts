import path from 'node:path';
import { type Environment, FLUXLOOP_VARIABLES } from './env.js';
import * as P from './parse.js';
import { ConfigValueError } from './parse.js';
import type { CaptureMode, FluxLoopOptions, ResolvedConfig, ResolvedOtlp, StorageKind } from './types.js';

export interface ConfigProblem {
  /** What was wrong: `option "sampleRate"`, `FLUXLOOP_SAMPLE_RATE`, `FLUXLOOP_STORAGE in /app/.env`. */
  where: string;
  message: string;
  /** `error`: a value was wrong and its default is used instead; `warning`: an unknown name was ignored. */
  severity: 'error' | 'warning';
}

export class FluxLoopConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid FluxLoop configuration:\n${problems.map((p) => `  - ${p.where}: ${p.message}`).join('\n')}`);
    this.name = 'FluxLoopConfigError';
  }
}

export interface Resolution {
  config: ResolvedConfig;
  problems: ConfigProblem[];
}

const OPTION_KEYS: readonly (keyof FluxLoopOptions)[] = [
  'enabled',
  'storage',
  'outputDir',
  'collectorUrl',
  'apiKey',
  'spoolDir',
  'captureContent',
  'redactionRules',
  'maxPayloadChars',
  'sampleRate',
  'serviceName',
  'resourceAttributes',
  'otlp',
  'mirrorPayloads',
  'recordArgs',
  'recordingFile',
  'batch',
  'exportThread',
  'reporter',
];

const STORAGE_KINDS: readonly StorageKind[] = ['file', 'http', 'none'];
const CAPTURE_MODES: readonly CaptureMode[] = ['full', 'redacted', 'none'];

/**
 * The one resolver: options → FLUXLOOP_* in the environment → FLUXLOOP_* in .env → OTEL_* → defaults.
 * It never throws; every bad value or unknown name becomes a problem that names it, and the caller decides
 * whether problems are fatal (configure()) or reported once (zero-config).
 */
export function resolveConfig(options: FluxLoopOptions, environment: Environment): Resolution {
  const problems: ConfigProblem[] = [];
  const sources: Record<string, string> = {};
  const { env, dotenv } = environment;

  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      const hint = P.closest(key, OPTION_KEYS as readonly string[]);
      problems.push({
        where: `option "${key}"`,
        message: `unknown option${hint ? ` (did you mean "${hint}"?)` : ''}; known options: ${OPTION_KEYS.join(', ')}`,
        severity: 'error',
      });
    }
  }
  for (const name of new Set([...Object.keys(env), ...Object.keys(dotenv)])) {
    if (name.startsWith('FLUXLOOP_') && !(FLUXLOOP_VARIABLES as readonly string[]).includes(name)) {
      const hint = P.closest(name, FLUXLOOP_VARIABLES);
      problems.push({
        where: name in env ? name : `${name} in ${environment.dotenvPath}`,
        message: `unknown variable, ignored${hint ? ` (did you mean ${hint}?)` : ''}`,
        severity: 'warning',
      });
    }
  }

  /** Resolves one setting through the precedence chain; a bad value is a problem and falls to the next source. */
  function pick<T>(
    name: string,
    option: unknown,
    check: (v: unknown) => T,
    fluxVar: string | undefined,
    parse: (raw: string) => T,
    otel?: () => { value: T; source: string } | undefined,
  ): T | undefined {
    const attempt = (where: string, source: string, run: () => T): T | undefined => {
      try {
        const value = run();
        sources[name] = source;
        return value;
      } catch (err) {
        const message = err instanceof ConfigValueError ? err.message : String(err);
        problems.push({ where, message: `${message}`, severity: 'error' });
        return undefined;
      }
    };
    if (option !== undefined) {
      const v = attempt(`option "${name}" (${describe(name, option)})`, 'option', () => check(option));
      if (v !== undefined) return v;
    }
    if (fluxVar && env[fluxVar] !== undefined && env[fluxVar] !== '') {
      const raw = env[fluxVar]!;
      const v = attempt(`${fluxVar}=${quote(fluxVar, raw)}`, fluxVar, () => parse(raw));
      if (v !== undefined) return v;
    }
    if (fluxVar && dotenv[fluxVar] !== undefined && dotenv[fluxVar] !== '') {
      const raw = dotenv[fluxVar]!;
      const where = `${fluxVar}=${quote(fluxVar, raw)} in ${environment.dotenvPath}`;
      const v = attempt(where, `.env:${fluxVar}`, () => parse(raw));
      if (v !== undefined) return v;
    }
    if (otel) {
      try {
        const found = otel();
        if (found) {
          sources[name] = found.source;
          return found.value;
        }
      } catch (err) {
        problems.push({ where: name, message: String((err as Error).message ?? err), severity: 'error' });
      }
    }
    sources[name] = 'default';
    return undefined;
  }

  const otelVar = (names: string[], parse: (raw: string) => unknown) => () => {
    for (const n of names) {
      const raw = env[n];
      if (raw === undefined || raw === '') continue;
      try {
        return { value: parse(raw), source: n };
      } catch (err) {
        throw new Error(`${n}=${quote(n, raw)}: ${(err as Error).message}`);
      }
    }
    return undefined;
  };

  const bool = (v: unknown) => {
    if (typeof v !== 'boolean') throw new ConfigValueError('expected true or false');
    return v;
  };
  const stringOpt = (v: unknown) => {
    if (typeof v !== 'string' || !v.trim()) throw new ConfigValueError('expected a non-empty string');
    return v;
  };
  const enumOpt =
    <T extends string>(allowed: readonly T[]) =>
    (v: unknown) =>
      P.parseEnum(allowed)(typeof v === 'string' ? v : String(v));
  const numberOpt =
    (min: number, max: number, integer = false) =>
    (v: unknown) =>
      P.checkNumber(v, min, max, integer);
  const resolvePath = (p: string) => path.resolve(environment.cwd, p);

  const disabledByOtel = otelVar(['OTEL_SDK_DISABLED'], (raw) => !P.parseBoolean(raw));
  const enabled =
    pick('enabled', options.enabled, bool, 'FLUXLOOP_ENABLED', P.parseBoolean, disabledByOtel as never) ?? true;

  const customStorage = typeof options.storage === 'object' && options.storage !== null ? options.storage : undefined;
  let storage: StorageKind | 'custom' = 'custom';
  if (customStorage) sources.storage = 'option';
  else {
    storage =
      pick('storage', options.storage, enumOpt(STORAGE_KINDS), 'FLUXLOOP_STORAGE', P.parseEnum(STORAGE_KINDS)) ??
      'file';
  }

  const outputDir = resolvePath(
    pick('outputDir', options.outputDir, stringOpt, 'FLUXLOOP_OUTPUT_DIR', P.parseNonEmpty) ?? './traces',
  );
  const collectorUrl =
    pick('collectorUrl', options.collectorUrl, (v) => P.parseUrl(stringOpt(v)), 'FLUXLOOP_COLLECTOR_URL', P.parseUrl) ??
    'http://127.0.0.1:8000';
  const apiKey = pick('apiKey', options.apiKey, stringOpt, 'FLUXLOOP_API_KEY', P.parseNonEmpty);
  const spoolDir = resolvePath(
    pick('spoolDir', options.spoolDir, stringOpt, 'FLUXLOOP_SPOOL_DIR', P.parseNonEmpty) ?? './.fluxloop/spool',
  );
  const captureContent =
    pick(
      'captureContent',
      options.captureContent,
      enumOpt(CAPTURE_MODES),
      'FLUXLOOP_CAPTURE_CONTENT',
      P.parseEnum(CAPTURE_MODES),
    ) ?? 'redacted';
  const maxPayloadChars =
    pick(
      'maxPayloadChars',
      options.maxPayloadChars,
      numberOpt(64, 100_000_000, true),
      'FLUXLOOP_MAX_PAYLOAD_CHARS',
      P.parseNumberIn(64, 100_000_000, true),
    ) ?? 32_768;
  const sampleRate =
    pick('sampleRate', options.sampleRate, numberOpt(0, 1), 'FLUXLOOP_SAMPLE_RATE', P.parseNumberIn(0, 1), () =>
      otelSampleRate(env),
    ) ?? 1;
  const serviceName = pick('serviceName', options.serviceName, stringOpt, undefined, P.parseNonEmpty, () =>
    env.OTEL_SERVICE_NAME ? { value: env.OTEL_SERVICE_NAME, source: 'OTEL_SERVICE_NAME' } : undefined,
  );
  // Merged key by key: an option overrides the variable's value for that key only.
  const envResource =
    pick(
      'resourceAttributes',
      undefined,
      checkAttributes,
      undefined,
      P.parseKeyValueList,
      otelVar(['OTEL_RESOURCE_ATTRIBUTES'], P.parseKeyValueList) as never,
    ) ?? {};
  const optionResource =
    options.resourceAttributes === undefined
      ? undefined
      : pick('resourceAttributes', options.resourceAttributes, checkAttributes, undefined, P.parseKeyValueList);
  const resourceAttributes = { ...envResource, ...(optionResource ?? {}) };
  const recordArgs = pick('recordArgs', options.recordArgs, bool, 'FLUXLOOP_RECORD_ARGS', P.parseBoolean) ?? false;
  const recordingFile = resolvePath(
    pick('recordingFile', options.recordingFile, stringOpt, 'FLUXLOOP_RECORDING_FILE', P.parseNonEmpty) ??
      'recordings/args_recording.jsonl',
  );
  const exportThread =
    pick('exportThread', options.exportThread, bool, 'FLUXLOOP_EXPORT_THREAD', P.parseBoolean) ?? !customStorage;

  const batchOption = (key: keyof NonNullable<FluxLoopOptions['batch']>, envName: string, min: number, def: number) =>
    pick(
      `batch.${key}`,
      options.batch?.[key],
      numberOpt(min, 10_000_000, true),
      undefined,
      P.parseNumberIn(min, 10_000_000, true),
      otelVar([envName], P.parseNumberIn(min, 10_000_000, true)) as never,
    ) ?? def;
  const batch = {
    maxQueueSize: batchOption('maxQueueSize', 'OTEL_BSP_MAX_QUEUE_SIZE', 1, 65_536),
    maxExportBatchSize: batchOption('maxExportBatchSize', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1, 512),
    scheduledDelayMillis: batchOption('scheduledDelayMillis', 'OTEL_BSP_SCHEDULE_DELAY', 0, 200),
    exportTimeoutMillis: batchOption('exportTimeoutMillis', 'OTEL_BSP_EXPORT_TIMEOUT', 1, 30_000),
  };
  if (batch.maxExportBatchSize > batch.maxQueueSize) batch.maxExportBatchSize = batch.maxQueueSize;

  let otlp: ResolvedOtlp | undefined;
  try {
    otlp = resolveOtlp(options.otlp, env);
    sources.otlp = options.otlp !== undefined ? 'option' : otlp ? 'OTEL_EXPORTER_OTLP_*' : 'default';
  } catch (err) {
    problems.push({ where: 'otlp', message: (err as Error).message, severity: 'error' });
  }

  const envParent = parseTraceparent(env.TRACEPARENT);
  if (envParent === 'invalid') {
    problems.push({
      where: 'TRACEPARENT',
      message: `"${String(env.TRACEPARENT).slice(0, 80)}" is not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>); traces start fresh`,
      severity: 'warning',
    });
  }
  const mirrorPayloads =
    pick('mirrorPayloads', options.mirrorPayloads, bool, 'FLUXLOOP_MIRROR_PAYLOADS', P.parseBoolean) ??
    otlp !== undefined;

  return {
    config: {
      enabled,
      storage,
      ...(customStorage ? { customStorage } : {}),
      outputDir,
      collectorUrl,
      ...(apiKey ? { apiKey } : {}),
      spoolDir,
      captureContent,
      redactionRules: options.redactionRules ?? [],
      maxPayloadChars,
      sampleRate,
      ...(serviceName ? { serviceName } : {}),
      resourceAttributes,
      ...(otlp ? { otlp } : {}),
      mirrorPayloads,
      recordArgs,
      recordingFile,
      ...(envParent && envParent !== 'invalid' ? { envParent } : {}),
      batch,
      exportThread,
      sources,
    },
    problems,
  };
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/** A W3C traceparent (version 00, or a later one read as 00 does), undefined when unset. */
export function parseTraceparent(
  value: string | undefined,
): { traceId: string; spanId: string; traceFlags: number } | 'invalid' | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return 'invalid';
  const [, version, traceId, spanId, flags, rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return 'invalid';
  if (/^0+$/.test(traceId!) || /^0+$/.test(spanId!)) return 'invalid';
  return { traceId: traceId!, spanId: spanId!, traceFlags: Number.parseInt(flags!, 16) & 1 };
}

function checkAttributes(v: unknown): Record<string, string | number | boolean> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigValueError('expected an object');
  for (const [k, value] of Object.entries(v)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new ConfigValueError(`expected string, number or boolean values (key "${k}")`);
    }
  }
  return v as Record<string, string | number | boolean>;
}

/** OTEL_TRACES_SAMPLER as a FluxLoop sample rate (FluxLoop always follows a parent's decision). */
function otelSampleRate(env: Environment['env']): { value: number; source: string } | undefined {
  const sampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (!sampler) return undefined;
  const source = 'OTEL_TRACES_SAMPLER';
  if (sampler === 'always_on' || sampler === 'parentbased_always_on') return { value: 1, source };
  if (sampler === 'always_off' || sampler === 'parentbased_always_off') return { value: 0, source };
  if (sampler === 'traceidratio' || sampler === 'parentbased_traceidratio') {
    const arg = env.OTEL_TRACES_SAMPLER_ARG;
    if (!arg) return { value: 1, source };
    try {
      return { value: P.parseNumberIn(0, 1)(arg), source: 'OTEL_TRACES_SAMPLER_ARG' };
    } catch (err) {
      throw new Error(`OTEL_TRACES_SAMPLER_ARG=${JSON.stringify(arg)}: ${(err as Error).message}`);
    }
  }
  throw new Error(
    `OTEL_TRACES_SAMPLER=${sampler}: expected always_on, always_off, traceidratio or their parentbased_ forms`,
  );
}

/**
 * OTLP export settings. OTEL_TRACES_EXPORTER decides when it is set (OTel's default for it is `otlp`, so an
 * endpoint alone turns export on); the `otlp` option beats both. Each bad value is reported with the variable
 * it came from, and header values are never echoed.
 */
function resolveOtlp(option: FluxLoopOptions['otlp'], env: Environment['env']): ResolvedOtlp | undefined {
  // An empty variable counts as unset, per the OTel environment spec.
  const get = (name: string) => (env[name] ? { name, raw: env[name]! } : undefined);
  const read = (key: string) => get(`OTEL_EXPORTER_OTLP_TRACES_${key}`) ?? get(`OTEL_EXPORTER_OTLP_${key}`);
  const exporters = env.OTEL_TRACES_EXPORTER ? P.parseList(env.OTEL_TRACES_EXPORTER) : undefined;
  const tracesEndpoint = get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = get('OTEL_EXPORTER_OTLP_ENDPOINT');
  let on: boolean;
  if (option !== undefined) on = option !== false;
  else if (exporters) on = exporters.includes('otlp');
  else on = !!tracesEndpoint || !!baseEndpoint;
  if (!on) return undefined;
  const opts = typeof option === 'object' ? option : {};
  const fromEnv = <T>(found: { name: string; raw: string } | undefined, parse: (raw: string) => T): T | undefined => {
    if (!found) return undefined;
    try {
      return parse(found.raw);
    } catch (err) {
      throw new Error(`${found.name}=${quote(found.name, found.raw)}: ${(err as Error).message}`);
    }
  };
  const endpoint =
    (opts.endpoint !== undefined ? P.parseUrl(opts.endpoint) : undefined) ??
    fromEnv(tracesEndpoint, P.parseUrl) ??
    fromEnv(baseEndpoint, (raw) => `${P.parseUrl(raw)}/v1/traces`) ??
    'http://localhost:4318/v1/traces';
  const protocol =
    opts.protocol ?? fromEnv(read('PROTOCOL'), P.parseEnum(['http/json', 'http/protobuf'] as const)) ?? 'http/protobuf';
  if (protocol !== 'http/json' && protocol !== 'http/protobuf') {
    throw new Error(`otlp.protocol "${protocol}": expected http/json or http/protobuf (grpc is not supported)`);
  }
  const compression =
    opts.compression ?? fromEnv(read('COMPRESSION'), P.parseEnum(['gzip', 'none'] as const)) ?? 'none';
  const timeoutMs =
    opts.timeoutMs !== undefined
      ? P.checkNumber(opts.timeoutMs, 1, 600_000, true)
      : (fromEnv(read('TIMEOUT'), P.parseNumberIn(1, 600_000, true)) ?? 10_000);
  const headerVar = read('HEADERS');
  let headers: Record<string, string> = {};
  if (headerVar) {
    try {
      headers = P.parseKeyValueList(headerVar.raw);
    } catch {
      throw new Error(
        `${headerVar.name}: expected key=value pairs separated by commas (value hidden: it may hold a secret)`,
      );
    }
  }
  return { endpoint, headers: { ...headers, ...(opts.headers ?? {}) }, protocol, compression, timeoutMs };
}

/** Secrets are never echoed back in problem messages. */
function quote(name: string, raw: string): string {
  return /KEY|TOKEN|SECRET|PASSWORD|HEADERS/.test(name) ? '<hidden>' : JSON.stringify(raw);
}

function describe(name: string, v: unknown): string {
  if (/key|token|secret|password|header/i.test(name)) return '<hidden>';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? typeof v : String(v);
}
