// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are collector `${env:NAME}` placeholders, not template literals
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCollectorConfig, envVariables, parseConfig, REQUIRED_SECTIONS } from './check-config';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
  .sort();
const README = readFileSync(join(DIR, 'README.md'), 'utf8');

const FLUXLOOP = 'otlp_http/fluxloop';
/** The exporters each file must send to (the FluxLoop collector plus its backends). */
const EXPECTED_EXPORTERS: Record<string, string[]> = {
  'fluxloop.yaml': [FLUXLOOP],
  'jaeger.yaml': [FLUXLOOP, 'otlp_grpc/jaeger'],
  'tempo.yaml': [FLUXLOOP, 'otlp_grpc/tempo'],
  'langfuse.yaml': [FLUXLOOP, 'otlp_http/langfuse'],
  'phoenix.yaml': [FLUXLOOP, 'otlp_http/phoenix'],
  'all.yaml': [FLUXLOOP, 'otlp_grpc/jaeger', 'otlp_grpc/tempo', 'otlp_http/langfuse', 'otlp_http/phoenix'],
};

type Config = {
  receivers: Record<string, Record<string, unknown>>;
  exporters: Record<string, Record<string, unknown>>;
  service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
};

function load(file: string): { source: string; config: Config } {
  const source = readFileSync(join(DIR, file), 'utf8');
  const parsed = parseConfig(source, file);
  if (!parsed.config) throw new Error(parsed.errors.join('\n'));
  return { source, config: parsed.config as unknown as Config };
}

/** A valid minimal config, to derive broken variants from. */
const VALID = `# test config
# reads FLUXLOOP_COLLECTOR_ENDPOINT and FLUXLOOP_COLLECTOR_TOKEN
receivers:
  otlp:
    protocols:
      http:
        endpoint: 0.0.0.0:4318
processors:
  memory_limiter:
    check_interval: 1s
    limit_mib: 512
  batch: {}
exporters:
  otlp_http/fluxloop:
    endpoint: \${env:FLUXLOOP_COLLECTOR_ENDPOINT:-http://127.0.0.1:8000}
    headers:
      Authorization: Bearer \${env:FLUXLOOP_COLLECTOR_TOKEN}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [otlp_http/fluxloop]
`;

describe('collector-config files', () => {
  it('holds exactly the expected pipeline files', () => {
    expect(FILES).toEqual(Object.keys(EXPECTED_EXPORTERS).sort());
  });

  describe.each(FILES)('%s', (file) => {
    it('passes the structural check (sections, references, unused components, order, types, env, secrets)', () => {
      const source = readFileSync(join(DIR, file), 'utf8');
      expect(checkCollectorConfig(source, file)).toEqual([]);
    });

    it('has the receivers, processors, exporters and service sections and at least one traces pipeline', () => {
      const { config } = load(file);
      for (const section of REQUIRED_SECTIONS) expect(config).toHaveProperty(section);
      expect(Object.keys(config.service.pipelines)).toContain('traces');
    });

    it('receives OTLP on 4317 (gRPC) and 4318 (HTTP) and runs memory_limiter then batch', () => {
      const { config } = load(file);
      const protocols = config.receivers.otlp.protocols as Record<string, { endpoint: string }>;
      expect(protocols.grpc.endpoint).toBe('${env:OTLP_GRPC_LISTEN_ENDPOINT:-0.0.0.0:4317}');
      expect(protocols.http.endpoint).toBe('${env:OTLP_HTTP_LISTEN_ENDPOINT:-0.0.0.0:4318}');
      for (const pipeline of Object.values(config.service.pipelines)) {
        expect(pipeline.processors).toEqual(['memory_limiter', 'batch']);
      }
    });

    it('sends to the FluxLoop collector and to its backend', () => {
      const { config } = load(file);
      const exported = Object.values(config.service.pipelines).flatMap((pipeline) => pipeline.exporters);
      for (const id of EXPECTED_EXPORTERS[file]) {
        expect(Object.keys(config.exporters)).toContain(id);
        expect(exported).toContain(id);
      }
      expect(Object.keys(config.exporters).sort()).toEqual([...EXPECTED_EXPORTERS[file]].sort());
    });

    it('reads every endpoint from the environment', () => {
      const { config } = load(file);
      for (const [id, settings] of Object.entries(config.exporters)) {
        expect(settings.endpoint, id).toMatch(/^\$\{env:[A-Z0-9_]+(:-[^}]+)?\}$/);
      }
    });

    it('exports to the FluxLoop collector over OTLP/HTTP with the bearer token from the environment', () => {
      const { config } = load(file);
      const fluxloop = config.exporters[FLUXLOOP];
      expect(fluxloop.endpoint).toBe('${env:FLUXLOOP_COLLECTOR_ENDPOINT:-http://127.0.0.1:8000}');
      expect(fluxloop.headers).toEqual({ Authorization: 'Bearer ${env:FLUXLOOP_COLLECTOR_TOKEN}' });
    });

    it('is described in the README, with every env variable it reads', () => {
      const { source } = load(file);
      expect(README).toContain(`\`${file}\``);
      for (const name of envVariables(source)) expect(README, name).toContain(`\`${name}\``);
    });
  });

  it('sends to Langfuse over OTLP/HTTP at /api/public/otel with Basic auth and the v4 ingestion header', () => {
    for (const file of ['langfuse.yaml', 'all.yaml']) {
      const langfuse = load(file).config.exporters['otlp_http/langfuse'];
      expect(langfuse.endpoint).toBe('${env:LANGFUSE_OTEL_ENDPOINT:-https://cloud.langfuse.com/api/public/otel}');
      expect(langfuse.headers).toEqual({
        Authorization: 'Basic ${env:LANGFUSE_AUTH_STRING}',
        'x-langfuse-ingestion-version': '4',
      });
    }
  });

  it('sends to Phoenix over OTLP/HTTP with an optional bearer API key', () => {
    for (const file of ['phoenix.yaml', 'all.yaml']) {
      const phoenix = load(file).config.exporters['otlp_http/phoenix'];
      expect(phoenix.endpoint).toBe('${env:PHOENIX_OTLP_ENDPOINT:-http://phoenix:6006}');
      expect(phoenix.headers).toEqual({ Authorization: 'Bearer ${env:PHOENIX_API_KEY}' });
    }
  });

  it('sends to Jaeger and Tempo over OTLP/gRPC with TLS configurable from the environment', () => {
    for (const [file, backend] of [
      ['jaeger.yaml', 'jaeger'],
      ['tempo.yaml', 'tempo'],
      ['all.yaml', 'jaeger'],
      ['all.yaml', 'tempo'],
    ] as const) {
      const exporter = load(file).config.exporters[`otlp_grpc/${backend}`];
      const upper = backend.toUpperCase();
      expect(exporter.endpoint).toBe(`\${env:${upper}_OTLP_GRPC_ENDPOINT:-${backend}:4317}`);
      expect(exporter.tls).toEqual({ insecure: `\${env:${upper}_OTLP_INSECURE:-true}` });
    }
  });
});

describe('checkCollectorConfig catches broken configs', () => {
  it('accepts the minimal valid config the negative cases start from', () => {
    expect(checkCollectorConfig(VALID, 'valid.yaml')).toEqual([]);
  });

  it('fails on a pipeline referencing an undefined exporter', () => {
    const broken = VALID.replace(
      'exporters: [otlp_http/fluxloop]',
      'exporters: [otlp_http/fluxloop, otlp_http/jaeger]',
    );
    expect(checkCollectorConfig(broken, 'broken.yaml')).toEqual([
      'broken.yaml: service.pipelines.traces.exporters references "otlp_http/jaeger", which is not defined under exporters:',
    ]);
  });

  it('matches component ids exactly (otlp_http is not otlp_http/fluxloop)', () => {
    const broken = VALID.replace('exporters: [otlp_http/fluxloop]', 'exporters: [otlp_http]');
    const errors = checkCollectorConfig(broken, 'broken.yaml');
    expect(errors).toContain(
      'broken.yaml: service.pipelines.traces.exporters references "otlp_http", which is not defined under exporters:',
    );
    expect(errors).toContain('broken.yaml: exporters: "otlp_http/fluxloop" is defined but no pipeline uses it');
  });

  it('fails on a parse error, naming the file and line', () => {
    const broken = VALID.replace('  batch: {}', '  batch: {\n  oops: [');
    const errors = checkCollectorConfig(broken, 'broken.yaml');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/^broken\.yaml:\d+:\d+: YAML /);
  });

  it('fails on a duplicate key, naming the line', () => {
    const broken = VALID.replace('  batch: {}', '  batch: {}\n  batch: {}');
    expect(checkCollectorConfig(broken, 'broken.yaml')[0]).toMatch(/^broken\.yaml:13:\d+: YAML DUPLICATE_KEY/);
  });

  it('fails when a section is missing', () => {
    const broken = VALID.replace(/^processors:\n(?: {2}.*\n)+/m, '').replace('processors: [memory_limiter, batch]', '');
    expect(checkCollectorConfig(broken, 'broken.yaml')).toContain(
      'broken.yaml: missing top-level section "processors"',
    );
  });

  it('fails on an unused component', () => {
    const broken = VALID.replace(
      'exporters:\n',
      'exporters:\n  otlp_grpc/jaeger:\n    endpoint: ${env:JAEGER}\n',
    ).replace('# test config', '# test config JAEGER');
    expect(checkCollectorConfig(broken, 'broken.yaml')).toEqual([
      'broken.yaml: exporters: "otlp_grpc/jaeger" is defined but no pipeline uses it',
    ]);
  });

  it('fails on a pipeline without receivers or exporters', () => {
    const broken = VALID.replace('receivers: [otlp]', 'receivers: []').replace(
      'exporters: [otlp_http/fluxloop]',
      'exporters: []',
    );
    const errors = checkCollectorConfig(broken, 'broken.yaml');
    expect(errors).toContain('broken.yaml: service.pipelines.traces has no receivers');
    expect(errors).toContain('broken.yaml: service.pipelines.traces has no exporters');
  });

  it('fails when batch comes before memory_limiter', () => {
    const broken = VALID.replace('[memory_limiter, batch]', '[batch, memory_limiter]');
    expect(checkCollectorConfig(broken, 'broken.yaml')).toEqual([
      'broken.yaml: service.pipelines.traces.processors: memory_limiter must be the first processor',
      'broken.yaml: service.pipelines.traces.processors: batch must come after memory_limiter',
    ]);
  });

  it('fails on a literal credential', () => {
    const broken = VALID.replace('Bearer ${env:FLUXLOOP_COLLECTOR_TOKEN}', 'Bearer 3f9c2a7d41e04b6c9a1d5e8f7b2c4d6e');
    const errors = checkCollectorConfig(broken, 'broken.yaml');
    expect(errors).toContain(
      'broken.yaml: exporters.otlp_http/fluxloop.headers.Authorization: a credential must be an ${env:NAME} placeholder without default (optionally after Bearer/Basic)',
    );
    expect(errors.some((e) => e.includes('literal Bearer/Basic credential'))).toBe(true);
  });

  it('fails on a credential placeholder with a default value', () => {
    const broken = VALID.replace('${env:FLUXLOOP_COLLECTOR_TOKEN}', '${env:FLUXLOOP_COLLECTOR_TOKEN:-letmein}');
    expect(checkCollectorConfig(broken, 'broken.yaml')).toContain(
      'broken.yaml: exporters.otlp_http/fluxloop.headers.Authorization: ${env:FLUXLOOP_COLLECTOR_TOKEN:-letmein} gives a credential variable a default value',
    );
  });

  it('fails on a key-looking literal anywhere, comments included', () => {
    const inValue = VALID.replace('limit_mib: 512', 'limit_mib: 512\n    note: sk-lf-0123456789abcdef');
    expect(checkCollectorConfig(inValue, 'broken.yaml').some((e) => e.includes('looks like a Langfuse key'))).toBe(
      true,
    );
    const inComment = VALID.replace('# test config', '# test config, key pk-lf-0123456789abcdef');
    expect(checkCollectorConfig(inComment, 'broken.yaml')).toEqual([
      'broken.yaml: line 1: the comment looks like it holds a Langfuse key',
    ]);
  });

  it('fails on a placeholder that is not ${env:NAME}', () => {
    const broken = VALID.replace('${env:FLUXLOOP_COLLECTOR_ENDPOINT:-http://127.0.0.1:8000}', '${FLUXLOOP_URL}');
    expect(
      checkCollectorConfig(broken, 'broken.yaml').some((e) => e.includes('is not an ${env:NAME} placeholder')),
    ).toBe(true);
  });

  it('fails on deprecated or unknown component types', () => {
    const deprecated = VALID.replaceAll('otlp_http/fluxloop', 'otlphttp/fluxloop');
    expect(checkCollectorConfig(deprecated, 'broken.yaml')).toEqual([
      'broken.yaml: exporters: "otlphttp/fluxloop" uses the deprecated alias "otlphttp"; use "otlp_http"',
    ]);
    const unknown = VALID.replaceAll('memory_limiter', 'memorylimiter');
    expect(checkCollectorConfig(unknown, 'broken.yaml')).toContain(
      'broken.yaml: processors: "memorylimiter" has type "memorylimiter", not one of memory_limiter, batch',
    );
  });

  it('fails when the header comment does not list an env variable the file reads', () => {
    const broken = VALID.replace('# reads FLUXLOOP_COLLECTOR_ENDPOINT and FLUXLOOP_COLLECTOR_TOKEN', '# reads nothing');
    expect(checkCollectorConfig(broken, 'broken.yaml')).toEqual([
      'broken.yaml: reads ${env:FLUXLOOP_COLLECTOR_ENDPOINT} but its header comment does not list it',
      'broken.yaml: reads ${env:FLUXLOOP_COLLECTOR_TOKEN} but its header comment does not list it',
    ]);
  });
});
