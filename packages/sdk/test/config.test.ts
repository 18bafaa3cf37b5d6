import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  agent,
  type ConfigProblem,
  configure,
  type Environment,
  FluxLoopClient,
  FluxLoopConfigError,
  type FluxLoopOptions,
  type ResolvedConfig,
  readEnvironment,
  resolveConfig,
  shutdown,
} from '@fluxloop/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetFluxLoop } from './helpers/harness.js';

/** The working directory of every hand-built environment: relative paths resolve against it. */
const CWD = path.join(os.tmpdir(), 'fluxloop-config-app');
const DOTENV_PATH = path.join(CWD, '.env');

function environment(
  env: Record<string, string | undefined> = {},
  dotenv: Record<string, string> = {},
  cwd: string = CWD,
): Environment {
  return { env, dotenv, ...(Object.keys(dotenv).length > 0 ? { dotenvPath: path.join(cwd, '.env') } : {}), cwd };
}

function resolve(options: FluxLoopOptions = {}, env: Record<string, string | undefined> = {}, dotenv = {}) {
  return resolveConfig(options, environment(env, dotenv));
}

/** Options with keys FluxLoopOptions does not have, as a JavaScript caller could pass them. */
const loose = (options: Record<string, unknown>) => options as unknown as FluxLoopOptions;

/** A problem as FluxLoopConfigError and the zero-config reporter print it. */
const text = (p: ConfigProblem) => `${p.where}: ${p.message}`;
const errors = (problems: ConfigProblem[]) => problems.filter((p) => p.severity === 'error');
const warnings = (problems: ConfigProblem[]) => problems.filter((p) => p.severity === 'warning');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-config-'));
}

// ---------------------------------------------------------------------------------------------------------------
// Precedence: options > FLUXLOOP_* (environment) > FLUXLOOP_* (.env) > OTEL_* > defaults
// ---------------------------------------------------------------------------------------------------------------

type Layer = 'option' | 'env' | 'dotenv' | 'otel' | 'default';
const LAYERS: readonly Layer[] = ['option', 'env', 'dotenv', 'otel', 'default'];

interface Setting {
  /** Key of config.sources. */
  name: string;
  get: (c: ResolvedConfig) => unknown;
  option?: { options: FluxLoopOptions; expected: unknown };
  /** The FLUXLOOP_* variable, read from the environment and from .env. */
  flux?: { variable: string; env: { raw: string; expected: unknown }; dotenv: { raw: string; expected: unknown } };
  otel?: { env: Record<string, string>; expected: unknown; source: string };
  default: unknown;
}

const at = (p: string) => path.join(CWD, p);

/**
 * Each layer's value differs from the value of the next lower layer, so a row proves the layer beats everything
 * below it (all lower layers are set too), by value and by config.sources.
 */
const SETTINGS: Setting[] = [
  {
    name: 'enabled',
    get: (c) => c.enabled,
    option: { options: { enabled: true }, expected: true },
    flux: {
      variable: 'FLUXLOOP_ENABLED',
      env: { raw: 'false', expected: false },
      dotenv: { raw: 'true', expected: true },
    },
    otel: { env: { OTEL_SDK_DISABLED: 'true' }, expected: false, source: 'OTEL_SDK_DISABLED' },
    default: true,
  },
  {
    name: 'storage',
    get: (c) => c.storage,
    option: { options: { storage: 'file' }, expected: 'file' },
    flux: {
      variable: 'FLUXLOOP_STORAGE',
      env: { raw: 'none', expected: 'none' },
      dotenv: { raw: 'http', expected: 'http' },
    },
    default: 'file',
  },
  {
    name: 'outputDir',
    get: (c) => c.outputDir,
    option: { options: { outputDir: 'opt-traces' }, expected: at('opt-traces') },
    flux: {
      variable: 'FLUXLOOP_OUTPUT_DIR',
      env: { raw: 'env-traces', expected: at('env-traces') },
      dotenv: { raw: 'dotenv-traces', expected: at('dotenv-traces') },
    },
    default: at('traces'),
  },
  {
    name: 'collectorUrl',
    get: (c) => c.collectorUrl,
    option: { options: { collectorUrl: 'http://option.example:1' }, expected: 'http://option.example:1' },
    flux: {
      variable: 'FLUXLOOP_COLLECTOR_URL',
      env: { raw: 'http://env.example:2', expected: 'http://env.example:2' },
      dotenv: { raw: 'https://dotenv.example:3', expected: 'https://dotenv.example:3' },
    },
    default: 'http://127.0.0.1:8000',
  },
  {
    name: 'apiKey',
    get: (c) => c.apiKey,
    option: { options: { apiKey: 'option-key' }, expected: 'option-key' },
    flux: {
      variable: 'FLUXLOOP_API_KEY',
      env: { raw: 'env-key', expected: 'env-key' },
      dotenv: { raw: 'dotenv-key', expected: 'dotenv-key' },
    },
    default: undefined,
  },
  {
    name: 'spoolDir',
    get: (c) => c.spoolDir,
    option: { options: { spoolDir: 'opt-spool' }, expected: at('opt-spool') },
    flux: {
      variable: 'FLUXLOOP_SPOOL_DIR',
      env: { raw: 'env-spool', expected: at('env-spool') },
      dotenv: { raw: 'dotenv-spool', expected: at('dotenv-spool') },
    },
    default: at('.fluxloop/spool'),
  },
  {
    name: 'captureContent',
    get: (c) => c.captureContent,
    option: { options: { captureContent: 'none' }, expected: 'none' },
    flux: {
      variable: 'FLUXLOOP_CAPTURE_CONTENT',
      env: { raw: 'full', expected: 'full' },
      dotenv: { raw: 'none', expected: 'none' },
    },
    default: 'redacted',
  },
  {
    name: 'maxPayloadChars',
    get: (c) => c.maxPayloadChars,
    option: { options: { maxPayloadChars: 1000 }, expected: 1000 },
    flux: {
      variable: 'FLUXLOOP_MAX_PAYLOAD_CHARS',
      env: { raw: '2000', expected: 2000 },
      dotenv: { raw: '3000', expected: 3000 },
    },
    default: 32_768,
  },
  {
    name: 'sampleRate',
    get: (c) => c.sampleRate,
    option: { options: { sampleRate: 0.1 }, expected: 0.1 },
    flux: {
      variable: 'FLUXLOOP_SAMPLE_RATE',
      env: { raw: '0.2', expected: 0.2 },
      dotenv: { raw: '0.3', expected: 0.3 },
    },
    otel: {
      env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.4' },
      expected: 0.4,
      source: 'OTEL_TRACES_SAMPLER_ARG',
    },
    default: 1,
  },
  {
    name: 'recordArgs',
    get: (c) => c.recordArgs,
    option: { options: { recordArgs: true }, expected: true },
    flux: {
      variable: 'FLUXLOOP_RECORD_ARGS',
      env: { raw: 'false', expected: false },
      dotenv: { raw: 'true', expected: true },
    },
    default: false,
  },
  {
    name: 'recordingFile',
    get: (c) => c.recordingFile,
    option: { options: { recordingFile: 'opt/rec.jsonl' }, expected: at('opt/rec.jsonl') },
    flux: {
      variable: 'FLUXLOOP_RECORDING_FILE',
      env: { raw: 'env/rec.jsonl', expected: at('env/rec.jsonl') },
      dotenv: { raw: 'dotenv/rec.jsonl', expected: at('dotenv/rec.jsonl') },
    },
    default: at('recordings/args_recording.jsonl'),
  },
  {
    name: 'exportThread',
    get: (c) => c.exportThread,
    option: { options: { exportThread: false }, expected: false },
    flux: {
      variable: 'FLUXLOOP_EXPORT_THREAD',
      env: { raw: 'true', expected: true },
      dotenv: { raw: 'false', expected: false },
    },
    default: true,
  },
  {
    name: 'serviceName',
    get: (c) => c.serviceName,
    option: { options: { serviceName: 'option-service' }, expected: 'option-service' },
    otel: { env: { OTEL_SERVICE_NAME: 'otel-service' }, expected: 'otel-service', source: 'OTEL_SERVICE_NAME' },
    default: undefined,
  },
  {
    name: 'resourceAttributes',
    get: (c) => c.resourceAttributes,
    option: { options: { resourceAttributes: { team: 'option', n: 1 } }, expected: { team: 'option', n: 1 } },
    otel: {
      env: { OTEL_RESOURCE_ATTRIBUTES: 'team=otel' },
      expected: { team: 'otel' },
      source: 'OTEL_RESOURCE_ATTRIBUTES',
    },
    default: {},
  },
  {
    name: 'batch.maxQueueSize',
    get: (c) => c.batch.maxQueueSize,
    option: { options: { batch: { maxQueueSize: 4000 } }, expected: 4000 },
    otel: { env: { OTEL_BSP_MAX_QUEUE_SIZE: '5000' }, expected: 5000, source: 'OTEL_BSP_MAX_QUEUE_SIZE' },
    default: 65_536,
  },
  {
    name: 'batch.maxExportBatchSize',
    get: (c) => c.batch.maxExportBatchSize,
    option: { options: { batch: { maxExportBatchSize: 10 } }, expected: 10 },
    otel: {
      env: { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' },
      expected: 20,
      source: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
    },
    default: 512,
  },
  {
    name: 'batch.scheduledDelayMillis',
    get: (c) => c.batch.scheduledDelayMillis,
    option: { options: { batch: { scheduledDelayMillis: 5 } }, expected: 5 },
    otel: { env: { OTEL_BSP_SCHEDULE_DELAY: '50' }, expected: 50, source: 'OTEL_BSP_SCHEDULE_DELAY' },
    default: 200,
  },
  {
    name: 'batch.exportTimeoutMillis',
    get: (c) => c.batch.exportTimeoutMillis,
    option: { options: { batch: { exportTimeoutMillis: 1000 } }, expected: 1000 },
    otel: { env: { OTEL_BSP_EXPORT_TIMEOUT: '2000' }, expected: 2000, source: 'OTEL_BSP_EXPORT_TIMEOUT' },
    default: 30_000,
  },
  {
    name: 'otlp',
    get: (c) => c.otlp?.endpoint,
    option: {
      options: { otlp: { endpoint: 'http://option.example:4318/v1/traces' } },
      expected: 'http://option.example:4318/v1/traces',
    },
    otel: {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel.example:4318' },
      expected: 'http://otel.example:4318/v1/traces',
      source: 'OTEL_EXPORTER_OTLP_*',
    },
    default: undefined,
  },
];

interface Row {
  setting: Setting;
  layer: Layer;
  options: FluxLoopOptions;
  env: Record<string, string>;
  dotenv: Record<string, string>;
  expected: unknown;
  source: string;
}

function rows(): Row[] {
  const out: Row[] = [];
  for (const s of SETTINGS) {
    const has = (layer: Layer) =>
      layer === 'default' ||
      (layer === 'option' && !!s.option) ||
      ((layer === 'env' || layer === 'dotenv') && !!s.flux) ||
      (layer === 'otel' && !!s.otel);
    for (const [i, layer] of LAYERS.entries()) {
      if (!has(layer)) continue;
      // This layer and every lower one are set.
      const below = LAYERS.slice(i).filter(has);
      const options = below.includes('option') ? s.option!.options : {};
      const env: Record<string, string> = {
        ...(below.includes('otel') ? s.otel!.env : {}),
        ...(below.includes('env') ? { [s.flux!.variable]: s.flux!.env.raw } : {}),
      };
      const dotenv = below.includes('dotenv') ? { [s.flux!.variable]: s.flux!.dotenv.raw } : {};
      const expected =
        layer === 'option'
          ? s.option!.expected
          : layer === 'env'
            ? s.flux!.env.expected
            : layer === 'dotenv'
              ? s.flux!.dotenv.expected
              : layer === 'otel'
                ? s.otel!.expected
                : s.default;
      const source =
        layer === 'option'
          ? 'option'
          : layer === 'env'
            ? s.flux!.variable
            : layer === 'dotenv'
              ? `.env:${s.flux!.variable}`
              : layer === 'otel'
                ? s.otel!.source
                : 'default';
      out.push({ setting: s, layer, options, env, dotenv, expected, source });
    }
  }
  return out;
}

describe('precedence: options > FLUXLOOP_* env > FLUXLOOP_* in .env > OTEL_* > defaults', () => {
  const table = rows();

  it('covers every setting and every layer it has', () => {
    // 10 settings with option/env/.env/default, 2 with all five layers, 7 with option/OTEL/default.
    expect(table).toHaveLength(10 * 4 + 2 * 5 + 7 * 3);
  });

  it.each(table.map((r) => [`${r.setting.name} from ${r.layer}`, r] as const))('%s', (_label, row) => {
    const { config, problems } = resolve(row.options, row.env, row.dotenv);
    expect(problems).toEqual([]);
    expect(row.setting.get(config)).toEqual(row.expected);
    expect(config.sources[row.setting.name]).toBe(row.source);
  });

  it('an empty FLUXLOOP_* value counts as unset and falls through to .env', () => {
    const { config, problems } = resolve({}, { FLUXLOOP_OUTPUT_DIR: '' }, { FLUXLOOP_OUTPUT_DIR: 'from-dotenv' });
    expect(problems).toEqual([]);
    expect(config.outputDir).toBe(at('from-dotenv'));
    expect(config.sources.outputDir).toBe('.env:FLUXLOOP_OUTPUT_DIR');
  });

  it('a bad value is reported and the next source is used', () => {
    const { config, problems } = resolve({}, { FLUXLOOP_STORAGE: 's3' }, { FLUXLOOP_STORAGE: 'http' });
    expect(config.storage).toBe('http');
    expect(config.sources.storage).toBe('.env:FLUXLOOP_STORAGE');
    expect(errors(problems).map(text)).toEqual([expect.stringContaining('FLUXLOOP_STORAGE')]);
  });

  it('FLUXLOOP_ENABLED=true beats OTEL_SDK_DISABLED=true; OTEL_SDK_DISABLED=false keeps tracing on', () => {
    const both = resolve({}, { FLUXLOOP_ENABLED: 'true', OTEL_SDK_DISABLED: 'true' }).config;
    expect(both.enabled).toBe(true);
    expect(both.sources.enabled).toBe('FLUXLOOP_ENABLED');
    const otelOnly = resolve({}, { OTEL_SDK_DISABLED: 'false' }).config;
    expect(otelOnly.enabled).toBe(true);
    expect(otelOnly.sources.enabled).toBe('OTEL_SDK_DISABLED');
  });

  it('a custom storage object is taken as is, with sources.storage = option', () => {
    const storage = {
      write: async () => {},
      flush: async () => true,
      close: async () => true,
    } as unknown as NonNullable<FluxLoopOptions['storage']>;
    const { config, problems } = resolve({ storage }, { FLUXLOOP_STORAGE: 'http' });
    expect(problems).toEqual([]);
    expect(config.storage).toBe('custom');
    expect(config.customStorage).toBe(storage);
    expect(config.sources.storage).toBe('option');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Booleans, enums, numbers
// ---------------------------------------------------------------------------------------------------------------

const BOOLEAN_VARIABLES = [
  { variable: 'FLUXLOOP_ENABLED', name: 'enabled', get: (c: ResolvedConfig) => c.enabled, invert: false },
  { variable: 'FLUXLOOP_RECORD_ARGS', name: 'recordArgs', get: (c: ResolvedConfig) => c.recordArgs, invert: false },
  {
    variable: 'FLUXLOOP_EXPORT_THREAD',
    name: 'exportThread',
    get: (c: ResolvedConfig) => c.exportThread,
    invert: false,
  },
  // OTEL_SDK_DISABLED=true means enabled=false.
  { variable: 'OTEL_SDK_DISABLED', name: 'enabled', get: (c: ResolvedConfig) => c.enabled, invert: true },
];
const TRUTHY = ['true', 'TRUE', 'True', '1', 'yes', 'YES', 'Yes', ' yes '];
const FALSY = ['false', 'FALSE', 'False', '0', 'no', 'NO', 'No', ' no '];
const NOT_BOOLEAN = ['on', 'off', 'y', 'n', '2', 'truthy', 'enabled', '-1'];

describe('booleans accept true/false/1/0/yes/no in any case', () => {
  for (const { variable, name, get, invert } of BOOLEAN_VARIABLES) {
    it.each(TRUTHY)(`${variable}=%j is true`, (raw) => {
      const { config, problems } = resolve({}, { [variable]: raw });
      expect(problems).toEqual([]);
      expect(get(config)).toBe(!invert);
      expect(config.sources[name]).toBe(variable);
    });
    it.each(FALSY)(`${variable}=%j is false`, (raw) => {
      const { config, problems } = resolve({}, { [variable]: raw });
      expect(problems).toEqual([]);
      expect(get(config)).toBe(invert);
    });
    it.each(NOT_BOOLEAN)(`${variable}=%j is rejected, naming the variable and the accepted values`, (raw) => {
      const { problems } = resolve({}, { [variable]: raw });
      expect(errors(problems)).toHaveLength(1);
      const t = text(problems[0]!);
      expect(t).toContain(variable);
      expect(t).toContain(raw);
      for (const accepted of ['true', 'false', '1', '0', 'yes', 'no'])
        expect(t).toMatch(new RegExp(`\\b${accepted}\\b`));
    });
  }

  it('a bad boolean in .env names the variable and the .env file', () => {
    const { config, problems } = resolve({}, {}, { FLUXLOOP_RECORD_ARGS: 'sure' });
    expect(config.recordArgs).toBe(false);
    const t = text(errors(problems)[0]!);
    expect(t).toContain('FLUXLOOP_RECORD_ARGS');
    expect(t).toContain('sure');
    expect(t).toContain(DOTENV_PATH);
  });

  it('boolean options must be booleans', () => {
    const { problems } = resolve({ recordArgs: 'yes' as unknown as boolean });
    expect(text(errors(problems)[0]!)).toMatch(/recordArgs.*true or false/);
  });
});

describe('enum values', () => {
  const ENUMS = [
    {
      variable: 'FLUXLOOP_STORAGE',
      get: (c: ResolvedConfig) => c.storage,
      allowed: ['file', 'http', 'none'],
      bad: ['s3', 'files', 'otlp', 'memory'],
    },
    {
      variable: 'FLUXLOOP_CAPTURE_CONTENT',
      get: (c: ResolvedConfig) => c.captureContent,
      allowed: ['full', 'redacted', 'none'],
      bad: ['partial', 'all', 'true', 'redact'],
    },
  ];
  for (const { variable, get, allowed, bad } of ENUMS) {
    it.each(allowed.flatMap((v) => [v, v.toUpperCase()]))(`${variable}=%s is accepted in any case`, (raw) => {
      const { config, problems } = resolve({}, { [variable]: raw });
      expect(problems).toEqual([]);
      expect(get(config)).toBe(raw.toLowerCase());
    });
    it.each(bad)(`${variable}=%s names the variable, the value and the allowed values`, (raw) => {
      const { problems } = resolve({}, { [variable]: raw });
      expect(errors(problems)).toHaveLength(1);
      const t = text(problems[0]!);
      expect(t).toContain(variable);
      expect(t).toContain(raw);
      for (const a of allowed) expect(t).toContain(a);
    });
  }

  it('a bad enum option names the option, the value and the allowed values', () => {
    const { problems } = resolve({ captureContent: 'partial' as never });
    const t = text(errors(problems)[0]!);
    expect(t).toContain('captureContent');
    expect(t).toContain('partial');
    for (const a of ['full', 'redacted', 'none']) expect(t).toContain(a);
  });
});

describe('number values', () => {
  it.each(['1.5', '-0.1', '2', 'abc', '50%', 'NaN', 'Infinity', ' '])(
    'FLUXLOOP_SAMPLE_RATE=%j names the variable, the value and the range',
    (raw) => {
      const { config, problems } = resolve({}, { FLUXLOOP_SAMPLE_RATE: raw });
      expect(config.sampleRate).toBe(1);
      expect(errors(problems)).toHaveLength(1);
      const t = text(problems[0]!);
      expect(t).toContain('FLUXLOOP_SAMPLE_RATE');
      expect(t).toContain(JSON.stringify(raw));
      expect(t).toMatch(/expected a number from 0 to 1/);
    },
  );

  it.each(['0', '1', '0.5', '1e-1', ' 0.25 '])('FLUXLOOP_SAMPLE_RATE=%j is accepted', (raw) => {
    const { config, problems } = resolve({}, { FLUXLOOP_SAMPLE_RATE: raw });
    expect(problems).toEqual([]);
    expect(config.sampleRate).toBe(Number(raw));
  });

  it.each([
    ['FLUXLOOP_MAX_PAYLOAD_CHARS', 'lots'],
    ['FLUXLOOP_MAX_PAYLOAD_CHARS', '10.5'],
    ['FLUXLOOP_MAX_PAYLOAD_CHARS', '3'],
    ['OTEL_BSP_MAX_QUEUE_SIZE', 'big'],
    ['OTEL_BSP_MAX_QUEUE_SIZE', '0'],
    ['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', '1.5'],
    ['OTEL_BSP_SCHEDULE_DELAY', '-1'],
    ['OTEL_BSP_EXPORT_TIMEOUT', 'soon'],
  ])('%s=%j names the variable, the value and what was expected', (variable, raw) => {
    const { problems } = resolve({}, { [variable]: raw });
    expect(errors(problems)).toHaveLength(1);
    const t = text(problems[0]!);
    expect(t).toContain(variable);
    expect(t).toContain(JSON.stringify(raw));
    expect(t).toMatch(/expected an integer from \d+ to \d+/);
  });

  it('sampleRate option out of range names the option, the value and the range', () => {
    const { config, problems } = resolve({ sampleRate: 2 });
    expect(config.sampleRate).toBe(1);
    const t = text(errors(problems)[0]!);
    expect(t).toContain('sampleRate');
    expect(t).toContain('2');
    expect(t).toMatch(/from 0 to 1/);
  });

  it('OTEL_TRACES_SAMPLER_ARG out of range names the variable and the bad value (resolve.ts:296, 125)', () => {
    const { problems } = resolve({}, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' });
    const t = text(errors(problems)[0]!);
    expect(t).toMatch(/from 0 to 1/);
    expect(t).toContain('OTEL_TRACES_SAMPLER_ARG');
    expect(t).toContain('7');
  });

  it('OTEL_EXPORTER_OTLP_TIMEOUT that is not a number names the variable and the bad value (resolve.ts:330)', () => {
    const { problems } = resolve(
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' },
    );
    const t = text(errors(problems)[0]!);
    expect(t).toMatch(/expected an integer/);
    expect(t).toContain('OTEL_EXPORTER_OTLP_TIMEOUT');
    expect(t).toContain('soon');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------------------------

describe('secrets are never echoed in problems', () => {
  const SECRET = 'sk-live-9f8e7d6c5b4a';
  const leaks = (problems: ConfigProblem[]) => problems.map(text).filter((t) => t.includes(SECRET));

  it('a bad FLUXLOOP_API_KEY value is not quoted back, in the environment or in .env', () => {
    const padded = '   ';
    const inEnv = resolve({}, { FLUXLOOP_API_KEY: padded });
    expect(errors(inEnv.problems)).toHaveLength(1);
    expect(text(inEnv.problems[0]!)).toContain('FLUXLOOP_API_KEY');
    expect(text(inEnv.problems[0]!)).not.toContain(JSON.stringify(padded));
    const inDotenv = resolve({}, {}, { FLUXLOOP_API_KEY: padded });
    expect(text(inDotenv.problems[0]!)).toContain('FLUXLOOP_API_KEY');
    expect(text(inDotenv.problems[0]!)).not.toContain(JSON.stringify(padded));
  });

  it('a valid FLUXLOOP_API_KEY never appears in any problem of an otherwise broken configuration', () => {
    const { config, problems } = resolve(
      loose({ sampleRate: 5, outputdir: 'x' }),
      {
        FLUXLOOP_API_KEY: SECRET,
        FLUXLOOP_APIKEY: SECRET,
        FLUXLOOP_STORAGE: 's3',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${SECRET}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      },
      { FLUXLOOP_API_KEY: SECRET },
    );
    expect(config.apiKey).toBe(SECRET);
    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(leaks(problems)).toEqual([]);
    expect(new FluxLoopConfigError(errors(problems)).message).not.toContain(SECRET);
  });

  it('OTEL_EXPORTER_OTLP_HEADERS with a token and a bad percent-encoding does not echo the token', () => {
    const { problems } = resolve(
      {},
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%ZZ${SECRET}` },
    );
    expect(errors(problems)).toHaveLength(1);
    expect(leaks(problems)).toEqual([]);
  });

  it('OTEL_EXPORTER_OTLP_HEADERS written as "Name: value" does not echo the token (parse.ts:61, resolve.ts:327)', () => {
    // A common mistake: HTTP header syntax instead of key=value. The problem must say what is wrong without the token.
    const { problems } = resolve(
      {},
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_HEADERS: `Authorization: Bearer ${SECRET}` },
    );
    expect(errors(problems)).toHaveLength(1);
    expect(leaks(problems)).toEqual([]);
    expect(text(problems[0]!)).toContain('OTEL_EXPORTER_OTLP_HEADERS');
  });

  it('OTEL_EXPORTER_OTLP_TRACES_HEADERS with a malformed entry does not echo it (parse.ts:61)', () => {
    const { problems } = resolve(
      {},
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_HEADERS: `x-team=ai,${SECRET}` },
    );
    expect(errors(problems)).toHaveLength(1);
    expect(leaks(problems)).toEqual([]);
  });

  it('an apiKey option of the wrong type is not echoed (resolve.ts:103, describe())', () => {
    const { problems } = resolve({ apiKey: 987654321987 as unknown as string });
    expect(errors(problems)).toHaveLength(1);
    expect(text(problems[0]!)).toContain('apiKey');
    expect(text(problems[0]!)).not.toContain('987654321987');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Unknown names
// ---------------------------------------------------------------------------------------------------------------

describe('unknown names', () => {
  it('a misspelt FLUXLOOP_* variable is a warning with a "did you mean" suggestion, and is ignored', () => {
    const { config, problems } = resolve({}, { FLUXLOOP_OUPUT_DIR: '/elsewhere' });
    expect(errors(problems)).toEqual([]);
    expect(warnings(problems)).toHaveLength(1);
    const t = text(problems[0]!);
    expect(t).toContain('FLUXLOOP_OUPUT_DIR');
    expect(t).toMatch(/did you mean FLUXLOOP_OUTPUT_DIR\?/);
    expect(config.outputDir).toBe(at('traces'));
    expect(t).not.toContain('/elsewhere');
  });

  it.each([
    ['FLUXLOOP_SAMPLERATE', 'FLUXLOOP_SAMPLE_RATE'],
    ['FLUXLOOP_STORGE', 'FLUXLOOP_STORAGE'],
    ['FLUXLOOP_APIKEY', 'FLUXLOOP_API_KEY'],
    ['FLUXLOOP_RECORD_ARG', 'FLUXLOOP_RECORD_ARGS'],
    ['FLUXLOOP_ENABLE', 'FLUXLOOP_ENABLED'],
  ])('%s suggests %s', (typo, suggestion) => {
    const { problems } = resolve({}, { [typo]: 'x' });
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining(`did you mean ${suggestion}?`) }),
    ]);
  });

  it('a misspelt variable in .env is a warning that names the .env file', () => {
    const { problems } = resolve({}, {}, { FLUXLOOP_OUPUT_DIR: 'x' });
    expect(warnings(problems)).toHaveLength(1);
    const t = text(problems[0]!);
    expect(t).toContain('FLUXLOOP_OUPUT_DIR');
    expect(t).toContain(DOTENV_PATH);
    expect(t).toContain('did you mean FLUXLOOP_OUTPUT_DIR?');
  });

  it('an unknown variable far from every known one is a warning without a suggestion', () => {
    const { problems } = resolve({}, { FLUXLOOP_TOTALLY_UNRELATED_THING: '1' });
    expect(warnings(problems)).toHaveLength(1);
    expect(problems[0]!.message).not.toContain('did you mean');
  });

  it('known variables (SDK, CLI and collector ones) and non-FLUXLOOP variables are not reported', () => {
    const { problems } = resolve(
      {},
      {
        FLUXLOOP_COLLECTOR_TOKEN: 't',
        FLUXLOOP_PROJECT_DIR: '/p',
        FLUXLOOP_OUTPUT_DIR: 'x',
        PATH: '/usr/bin',
        FLUX_LOOP: '1',
        OTEL_UNRELATED: 'y',
      },
    );
    expect(problems).toEqual([]);
  });

  it.each([
    ['outputdir', 'outputDir'],
    ['sampelRate', 'sampleRate'],
    ['storge', 'storage'],
    ['captureContents', 'captureContent'],
    ['apikey', 'apiKey'],
  ])('unknown option %s is an error suggesting %s', (typo, suggestion) => {
    const { problems } = resolve(loose({ [typo]: 1 }));
    expect(errors(problems)).toHaveLength(1);
    const t = text(problems[0]!);
    expect(t).toContain(`"${typo}"`);
    expect(t).toContain(`did you mean "${suggestion}"?`);
  });

  it('an unknown option with no near match still lists the known options', () => {
    const { problems } = resolve(loose({ zzzzzzzzzzzzzz: true }));
    const t = text(errors(problems)[0]!);
    expect(t).not.toContain('did you mean');
    expect(t).toContain('outputDir');
    expect(t).toContain('sampleRate');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// configure() throws; zero-config never does
// ---------------------------------------------------------------------------------------------------------------

describe('configure() and FluxLoopClient are strict', () => {
  afterEach(resetFluxLoop);

  it('configure({ sampleRate: 2 }) throws FluxLoopConfigError listing the problem', () => {
    let thrown: unknown;
    try {
      configure({ sampleRate: 2, outputDir: tempDir() });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FluxLoopConfigError);
    const error = thrown as FluxLoopConfigError;
    expect(error.name).toBe('FluxLoopConfigError');
    expect(error.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', where: expect.stringContaining('sampleRate') }),
    );
    expect(error.message).toMatch(/sampleRate.*2.*from 0 to 1/);
  });

  it('new FluxLoopClient with an unknown option throws with a suggestion', () => {
    expect(() => new FluxLoopClient(loose({ outputdir: tempDir() }))).toThrow(/did you mean "outputDir"\?/);
  });

  it('every error problem is listed, warnings are not fatal', () => {
    let thrown: FluxLoopConfigError | undefined;
    try {
      configure({ sampleRate: -1, captureContent: 'some' as never, maxPayloadChars: 1 });
    } catch (err) {
      thrown = err as FluxLoopConfigError;
    }
    expect(thrown).toBeInstanceOf(FluxLoopConfigError);
    const wheres = thrown!.problems.map((p) => p.where).join('\n');
    expect(wheres).toContain('sampleRate');
    expect(wheres).toContain('captureContent');
    expect(wheres).toContain('maxPayloadChars');
    expect(thrown!.problems.every((p) => p.severity === 'error')).toBe(true);
  });

  it('valid options configure without throwing', async () => {
    const client = configure({ outputDir: tempDir(), sampleRate: 0.5, exportThread: false });
    expect(client.config.sampleRate).toBe(0.5);
    expect(client.config.sources.sampleRate).toBe('option');
    await client.shutdown(5_000);
  });
});

describe('zero config (the first wrapper call) never throws', () => {
  const saved = { ...process.env };
  afterEach(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    vi.restoreAllMocks();
    await resetFluxLoop();
  });

  it('bad FLUXLOOP_* values are reported once on stderr, defaults are used and the call is traced', async () => {
    await resetFluxLoop();
    const dir = tempDir();
    process.env.FLUXLOOP_OUTPUT_DIR = dir;
    process.env.FLUXLOOP_SAMPLE_RATE = 'abc';
    process.env.FLUXLOOP_STORAGE = 's3';
    process.env.FLUXLOOP_ENABLED = 'maybe';
    process.env.FLUXLOOP_OUPUT_DIR = 'typo';
    process.env.FLUXLOOP_API_KEY = '  ';
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });

    const run = agent(async function zeroConfigAgent(q: string) {
      return `answer: ${q}`;
    });
    await expect(run('hello')).resolves.toBe('answer: hello');
    expect(await shutdown(10_000)).toBe(true);

    const stderr = lines.join('');
    expect(stderr).toMatch(/FLUXLOOP_SAMPLE_RATE="abc": expected a number from 0 to 1/);
    expect(stderr).toMatch(/FLUXLOOP_STORAGE="s3": expected one of file, http, none/);
    expect(stderr).toContain('FLUXLOOP_ENABLED');
    expect(stderr).toContain('did you mean FLUXLOOP_OUTPUT_DIR?');
    const traces = fs.readFileSync(path.join(dir, 'traces.jsonl'), 'utf8').trim().split('\n');
    expect(traces.map((l) => JSON.parse(l).name)).toEqual(['zeroConfigAgent']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// .env
// ---------------------------------------------------------------------------------------------------------------

describe('readEnvironment() and .env', () => {
  const DOTENV = [
    '# a comment line',
    'FLUXLOOP_STORAGE=http',
    'FLUXLOOP_COLLECTOR_URL="http://collector.example:9000" # a trailing comment',
    "FLUXLOOP_OUTPUT_DIR='dir with # hash'",
    'export FLUXLOOP_RECORD_ARGS=true',
    '  FLUXLOOP_CAPTURE_CONTENT = full  ',
    'FLUXLOOP_RECORDING_FILE="rec/args.jsonl"',
    'OTEL_SERVICE_NAME=from-dotenv',
    'OPENAI_API_KEY=sk-not-ours',
    'FLUXLOOP_TEST_ONLY_MARKER_NOT_IN_ENV=1',
    '',
  ].join('\n');

  function project(content = DOTENV): string {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.env'), content);
    return dir;
  }

  it('takes only FLUXLOOP_* keys, with quotes, comments and export prefixes handled', () => {
    const dir = project();
    const e = readEnvironment({ cwd: dir, env: { PATH: '/usr/bin' } });
    expect(e.dotenvPath).toBe(path.join(dir, '.env'));
    expect(e.cwd).toBe(dir);
    expect(e.dotenv).toEqual({
      FLUXLOOP_STORAGE: 'http',
      FLUXLOOP_COLLECTOR_URL: 'http://collector.example:9000',
      FLUXLOOP_OUTPUT_DIR: 'dir with # hash',
      FLUXLOOP_RECORD_ARGS: 'true',
      FLUXLOOP_CAPTURE_CONTENT: 'full',
      FLUXLOOP_RECORDING_FILE: 'rec/args.jsonl',
      FLUXLOOP_TEST_ONLY_MARKER_NOT_IN_ENV: '1',
    });
    expect(e.env).toEqual({ PATH: '/usr/bin' });
  });

  it('leaves non-FLUXLOOP keys alone: neither used nor put into process.env', () => {
    const dir = project();
    const before = { ...process.env };
    const e = readEnvironment({ cwd: dir, env: {} });
    expect(process.env).toEqual(before);
    expect(process.env.FLUXLOOP_TEST_ONLY_MARKER_NOT_IN_ENV).toBeUndefined();
    const { config } = resolveConfig({}, e);
    expect(config.serviceName).toBeUndefined();
    expect(config.sources.serviceName).toBe('default');
  });

  it('.env values resolve with sources .env:NAME and relative paths against its folder', () => {
    const dir = project();
    const { config, problems } = resolveConfig({}, readEnvironment({ cwd: dir, env: {} }));
    expect(problems.map(text)).toEqual([
      expect.stringMatching(/FLUXLOOP_TEST_ONLY_MARKER_NOT_IN_ENV in .*\.env: unknown variable/),
    ]);
    expect(config.storage).toBe('http');
    expect(config.collectorUrl).toBe('http://collector.example:9000');
    expect(config.outputDir).toBe(path.join(dir, 'dir with # hash'));
    expect(config.recordArgs).toBe(true);
    expect(config.captureContent).toBe('full');
    expect(config.recordingFile).toBe(path.join(dir, 'rec/args.jsonl'));
    expect(config.sources).toMatchObject({
      storage: '.env:FLUXLOOP_STORAGE',
      collectorUrl: '.env:FLUXLOOP_COLLECTOR_URL',
      outputDir: '.env:FLUXLOOP_OUTPUT_DIR',
      recordArgs: '.env:FLUXLOOP_RECORD_ARGS',
      captureContent: '.env:FLUXLOOP_CAPTURE_CONTENT',
      recordingFile: '.env:FLUXLOOP_RECORDING_FILE',
    });
  });

  it('the real environment wins over .env', () => {
    const dir = project();
    const { config } = resolveConfig(
      {},
      readEnvironment({ cwd: dir, env: { FLUXLOOP_STORAGE: 'none', FLUXLOOP_RECORD_ARGS: 'no' } }),
    );
    expect(config.storage).toBe('none');
    expect(config.sources.storage).toBe('FLUXLOOP_STORAGE');
    expect(config.recordArgs).toBe(false);
    expect(config.collectorUrl).toBe('http://collector.example:9000');
  });

  it('no .env file: empty dotenv and no dotenvPath; dotenv: false skips the file', () => {
    const empty = tempDir();
    expect(readEnvironment({ cwd: empty, env: {} })).toEqual({ env: {}, dotenv: {}, cwd: empty });
    const dir = project();
    const skipped = readEnvironment({ cwd: dir, env: {}, dotenv: false });
    expect(skipped.dotenv).toEqual({});
    expect(skipped.dotenvPath).toBeUndefined();
  });

  it('defaults to process.env (a copy) and process.cwd()', () => {
    const e = readEnvironment({ dotenv: false });
    expect(e.cwd).toBe(process.cwd());
    expect(e.env).toEqual({ ...process.env });
    expect(e.env).not.toBe(process.env);
  });

  it('a bad value in .env names the variable, the value and the file', () => {
    const dir = project('FLUXLOOP_SAMPLE_RATE=lots\n');
    const { config, problems } = resolveConfig({}, readEnvironment({ cwd: dir, env: {} }));
    expect(config.sampleRate).toBe(1);
    const t = text(errors(problems)[0]!);
    expect(t).toContain('FLUXLOOP_SAMPLE_RATE');
    expect(t).toContain('"lots"');
    expect(t).toContain(path.join(dir, '.env'));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Relative paths
// ---------------------------------------------------------------------------------------------------------------

describe('relative paths resolve against the environment cwd', () => {
  const cwd = path.join(os.tmpdir(), 'fluxloop-paths', 'project');
  const r = (options: FluxLoopOptions, env: Record<string, string> = {}) =>
    resolveConfig(options, environment(env, {}, cwd)).config;

  it('defaults', () => {
    const c = r({});
    expect(c.outputDir).toBe(path.join(cwd, 'traces'));
    expect(c.spoolDir).toBe(path.join(cwd, '.fluxloop', 'spool'));
    expect(c.recordingFile).toBe(path.join(cwd, 'recordings', 'args_recording.jsonl'));
  });

  it('from options, env, with ../ and ./', () => {
    const c = r(
      { outputDir: './out' },
      { FLUXLOOP_SPOOL_DIR: '../shared/spool', FLUXLOOP_RECORDING_FILE: 'recordings/mine.jsonl' },
    );
    expect(c.outputDir).toBe(path.join(cwd, 'out'));
    expect(c.spoolDir).toBe(path.join(cwd, '..', 'shared', 'spool'));
    expect(c.recordingFile).toBe(path.join(cwd, 'recordings', 'mine.jsonl'));
  });

  it('absolute paths are kept', () => {
    const abs = path.join(os.tmpdir(), 'abs-traces');
    const c = r({ outputDir: abs, spoolDir: abs, recordingFile: path.join(abs, 'r.jsonl') });
    expect(c.outputDir).toBe(abs);
    expect(c.spoolDir).toBe(abs);
    expect(c.recordingFile).toBe(path.join(abs, 'r.jsonl'));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// OTEL_* variables
// ---------------------------------------------------------------------------------------------------------------

describe('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES', () => {
  it('OTEL_SERVICE_NAME sets serviceName', () => {
    const { config } = resolve({}, { OTEL_SERVICE_NAME: 'checkout-agent' });
    expect(config.serviceName).toBe('checkout-agent');
    expect(config.sources.serviceName).toBe('OTEL_SERVICE_NAME');
  });

  it('OTEL_RESOURCE_ATTRIBUTES is parsed with values percent-decoded', () => {
    const { config, problems } = resolve(
      {},
      {
        OTEL_RESOURCE_ATTRIBUTES:
          'deployment.environment=prod, team=ai%20agents,note=a%2Cb%3Dc,url=http://x?a=b,plus=1+1,empty=,',
      },
    );
    expect(problems).toEqual([]);
    expect(config.resourceAttributes).toEqual({
      'deployment.environment': 'prod',
      team: 'ai agents',
      note: 'a,b=c',
      url: 'http://x?a=b',
      plus: '1+1',
      empty: '',
    });
    expect(config.sources.resourceAttributes).toBe('OTEL_RESOURCE_ATTRIBUTES');
  });

  it.each(['novalue', '=x', 'k=%E0%A4%A'])('OTEL_RESOURCE_ATTRIBUTES=%j is an error naming the variable', (raw) => {
    const { config, problems } = resolve({}, { OTEL_RESOURCE_ATTRIBUTES: raw });
    expect(config.resourceAttributes).toEqual({});
    expect(text(errors(problems)[0]!)).toContain('OTEL_RESOURCE_ATTRIBUTES');
  });
});

describe('OTEL_SDK_DISABLED and OTEL_TRACES_SAMPLER', () => {
  it('OTEL_SDK_DISABLED=true disables; a bad value names the variable', () => {
    expect(resolve({}, { OTEL_SDK_DISABLED: 'true' }).config.enabled).toBe(false);
    const { config, problems } = resolve({}, { OTEL_SDK_DISABLED: 'maybe' });
    expect(config.enabled).toBe(true);
    const t = text(errors(problems)[0]!);
    expect(t).toContain('OTEL_SDK_DISABLED');
    expect(t).toContain('maybe');
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'always_on' }, 1, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 0, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, 1, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, 0, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_TRACES_SAMPLER: 'ALWAYS_OFF' }, 0, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 0.25, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, 0, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_TRACES_SAMPLER_ARG: '0.5' }, 1, 'default'],
  ] as const)('%j gives sampleRate %s', (env, rate, source) => {
    const { config, problems } = resolve({}, env);
    expect(problems).toEqual([]);
    expect(config.sampleRate).toBe(rate);
    if (source) expect(config.sources.sampleRate).toBe(source);
  });

  it('traceidratio without OTEL_TRACES_SAMPLER_ARG gives 1 from OTEL_TRACES_SAMPLER (resolve.ts:296)', () => {
    // The ratio defaults to 1; config.sources must not name a variable that is not set.
    const { config, problems } = resolve({}, { OTEL_TRACES_SAMPLER: 'traceidratio' });
    expect(problems).toEqual([]);
    expect(config.sampleRate).toBe(1);
    expect(config.sources.sampleRate).toBe('OTEL_TRACES_SAMPLER');
  });

  it('an unsupported sampler names the variable, the value and the supported ones', () => {
    const { config, problems } = resolve({}, { OTEL_TRACES_SAMPLER: 'jaeger_remote' });
    expect(config.sampleRate).toBe(1);
    const t = text(errors(problems)[0]!);
    expect(t).toContain('OTEL_TRACES_SAMPLER');
    expect(t).toContain('jaeger_remote');
    expect(t).toMatch(/always_on.*always_off.*traceidratio/);
  });

  it('FLUXLOOP_SAMPLE_RATE beats OTEL_TRACES_SAMPLER', () => {
    const { config } = resolve({}, { FLUXLOOP_SAMPLE_RATE: '0.5', OTEL_TRACES_SAMPLER: 'always_off' });
    expect(config.sampleRate).toBe(0.5);
    expect(config.sources.sampleRate).toBe('FLUXLOOP_SAMPLE_RATE');
  });
});

describe('OTEL_BSP_*', () => {
  it('map to batch, with the export batch never above the queue', () => {
    const { config, problems } = resolve(
      {},
      {
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '500',
        OTEL_BSP_SCHEDULE_DELAY: '0',
        OTEL_BSP_EXPORT_TIMEOUT: '1234',
      },
    );
    expect(problems).toEqual([]);
    expect(config.batch).toEqual({
      maxQueueSize: 100,
      maxExportBatchSize: 100,
      scheduledDelayMillis: 0,
      exportTimeoutMillis: 1234,
    });
  });

  it('a batch option beats its OTEL_BSP_* variable, per field', () => {
    const { config } = resolve(
      { batch: { maxQueueSize: 9000 } },
      { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_SCHEDULE_DELAY: '10' },
    );
    expect(config.batch.maxQueueSize).toBe(9000);
    expect(config.batch.scheduledDelayMillis).toBe(10);
    expect(config.sources['batch.maxQueueSize']).toBe('option');
    expect(config.sources['batch.scheduledDelayMillis']).toBe('OTEL_BSP_SCHEDULE_DELAY');
  });
});

describe('OTLP export from OTEL_TRACES_EXPORTER and OTEL_EXPORTER_OTLP_*', () => {
  const DEFAULTS = {
    endpoint: 'http://localhost:4318/v1/traces',
    headers: {},
    protocol: 'http/protobuf',
    timeoutMs: 10_000,
    compression: 'none',
  };

  it('is off by default, and with exporters that are not otlp', () => {
    expect(resolve().config.otlp).toBeUndefined();
    expect(resolve().config.sources.otlp).toBe('default');
    expect(resolve({}, { OTEL_TRACES_EXPORTER: 'console' }).config.otlp).toBeUndefined();
  });

  it.each(['otlp', 'OTLP', 'console, otlp', 'zipkin,otlp'])(
    'OTEL_TRACES_EXPORTER=%j turns it on with defaults',
    (raw) => {
      const { config, problems } = resolve({}, { OTEL_TRACES_EXPORTER: raw });
      expect(problems).toEqual([]);
      expect(config.otlp).toEqual(DEFAULTS);
      expect(config.sources.otlp).toBe('OTEL_EXPORTER_OTLP_*');
    },
  );

  it.each([
    ['http://collector:4318', 'http://collector:4318/v1/traces'],
    ['http://collector:4318/', 'http://collector:4318/v1/traces'],
    ['https://otlp.example.com/api/otlp', 'https://otlp.example.com/api/otlp/v1/traces'],
  ])('base endpoint %s gets /v1/traces: %s', (base, expected) => {
    const { config } = resolve({}, { OTEL_EXPORTER_OTLP_ENDPOINT: base });
    expect(config.otlp?.endpoint).toBe(expected);
  });

  it('the traces endpoint is used as is, and beats the base endpoint', () => {
    const only = resolve({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom/traces' }).config;
    expect(only.otlp?.endpoint).toBe('http://collector:4318/custom/traces');
    const both = resolve(
      {},
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/ingest',
      },
    ).config;
    expect(both.otlp?.endpoint).toBe('http://traces:4318/ingest');
  });

  it('headers (percent-decoded), timeout, protocol and compression', () => {
    const { config, problems } = resolve(
      {},
      {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc, x-team = agents ',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      },
    );
    expect(problems).toEqual([]);
    expect(config.otlp).toEqual({
      endpoint: 'http://localhost:4318/v1/traces',
      headers: { Authorization: 'Bearer abc', 'x-team': 'agents' },
      protocol: 'http/json',
      timeoutMs: 2500,
      compression: 'gzip',
    });
  });

  it('OTEL_EXPORTER_OTLP_TRACES_* beat OTEL_EXPORTER_OTLP_*', () => {
    const { config, problems } = resolve(
      {},
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'a=base',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'a=traces',
        OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2000',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'none',
        OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
      },
    );
    expect(problems).toEqual([]);
    expect(config.otlp).toEqual({
      endpoint: 'http://base:4318/v1/traces',
      headers: { a: 'traces' },
      protocol: 'http/protobuf',
      timeoutMs: 2000,
      compression: 'gzip',
    });
  });

  it('grpc and unknown compression are errors naming the value and the supported ones', () => {
    const grpc = resolve({}, { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(grpc.config.otlp).toBeUndefined();
    expect(text(errors(grpc.problems)[0]!)).toMatch(/"grpc".*http\/json.*http\/protobuf/);
    const br = resolve({}, { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_COMPRESSION: 'br' });
    expect(text(errors(br.problems)[0]!)).toMatch(/"br".*gzip.*none/);
  });

  it('the otlp option: true uses the environment, an object beats it field by field, false turns it off', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=env,b=env',
    };
    expect(resolve({ otlp: true }, env).config.otlp).toEqual({
      ...DEFAULTS,
      endpoint: 'http://env:4318/v1/traces',
      headers: { a: 'env', b: 'env' },
    });
    expect(resolve({ otlp: true }).config.otlp).toEqual(DEFAULTS);
    const merged = resolve(
      { otlp: { endpoint: 'http://opt:4318/v1/traces', headers: { b: 'opt' }, protocol: 'http/json', timeoutMs: 7 } },
      env,
    ).config;
    expect(merged.otlp).toEqual({
      endpoint: 'http://opt:4318/v1/traces',
      headers: { a: 'env', b: 'opt' },
      protocol: 'http/json',
      timeoutMs: 7,
      compression: 'none',
    });
    expect(merged.sources.otlp).toBe('option');
    const off = resolve({ otlp: false }, { ...env, OTEL_TRACES_EXPORTER: 'otlp' }).config;
    expect(off.otlp).toBeUndefined();
    expect(off.sources.otlp).toBe('option');
  });

  it('OTLP runs beside the FluxLoop storage, which keeps its own setting', () => {
    const { config } = resolve({}, { OTEL_TRACES_EXPORTER: 'otlp', FLUXLOOP_STORAGE: 'none' });
    expect(config.storage).toBe('none');
    expect(config.otlp).toBeDefined();
  });

  it('an empty OTEL_EXPORTER_OTLP_TRACES_ENDPOINT counts as unset (resolve.ts:305, 314)', () => {
    // OTel spec: "an empty value of an environment variable is treated the same as when it is unset".
    const { config, problems } = resolve(
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' },
    );
    expect(problems).toEqual([]);
    expect(config.otlp?.endpoint).toBe('http://base:4318/v1/traces');
  });

  it('a bad OTEL_EXPORTER_OTLP_ENDPOINT names the variable and the value (resolve.ts:326)', () => {
    const { problems } = resolve({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' });
    const t = text(errors(problems)[0]!);
    expect(t).toMatch(/http:\/\/ or https:\/\//);
    expect(t).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(t).toContain('collector:4318');
  });
});
