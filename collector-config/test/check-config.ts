/**
 * Structural checker for the OpenTelemetry Collector files in collector-config/.
 *
 * No collector binary is available here, so this checks what can be checked without one: the YAML parses, the
 * sections exist, every pipeline only references components defined in the same file (ids match exactly), nothing
 * is defined and left unused, processors are in the order the collector docs ask for, only the component types these
 * files were verified against appear, every `${...}` is an `${env:NAME}` placeholder, no credential is written out,
 * and every env variable a file reads is listed in its header comment.
 */
import { parseDocument } from 'yaml';

/** Sections a collector config may have at its top level. */
const TOP_LEVEL_KEYS = new Set(['receivers', 'processors', 'exporters', 'extensions', 'connectors', 'service']);
/** Sections these files must have. */
export const REQUIRED_SECTIONS = ['receivers', 'processors', 'exporters', 'service'] as const;
const SERVICE_KEYS = new Set(['pipelines', 'extensions', 'telemetry']);
const PIPELINE_KEYS = new Set(['receivers', 'processors', 'exporters']);
const PIPELINE_TYPES = new Set(['traces', 'metrics', 'logs']);

type Kind = 'receivers' | 'processors' | 'exporters';
const KINDS: readonly Kind[] = ['receivers', 'processors', 'exporters'];

/**
 * Component types of otelcol-contrib these files use, by kind (names as of collector v0.144.0+, where the OTLP
 * exporters became `otlp_grpc` and `otlp_http`).
 */
export const ALLOWED_TYPES: Record<Kind, ReadonlySet<string>> = {
  receivers: new Set(['otlp']),
  processors: new Set(['memory_limiter', 'batch']),
  exporters: new Set(['otlp_http', 'otlp_grpc']),
};
/** Deprecated aliases still accepted by the collector, with their current names. */
const DEPRECATED_EXPORTERS: Record<string, string> = { otlphttp: 'otlp_http', otlp: 'otlp_grpc' };

/** `type` or `type/name`, as the collector spells component ids. */
const COMPONENT_ID = /^([a-z][a-z0-9_]*)(?:\/([^/\s]+))?$/;
/** `${env:NAME}` or `${env:NAME:-default}`. */
const ENV_PLACEHOLDER = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
/** Keys whose values are credentials. */
const SECRET_KEY = /(authorization|token|secret|password|passwd|api[-_]?key|apikey|credential|private[-_]?key)/i;
/** Env variable names that carry credentials: they must never get a default value. */
const SECRET_ENV_NAME = /(TOKEN|SECRET|PASSWORD|API_KEY|APIKEY|AUTH|CREDENTIAL|PRIVATE_KEY)/;
/** A credential value: an env placeholder without default, optionally after an auth scheme. */
const SECRET_VALUE_OK = /^(?:(?:Bearer|Basic)\s+)?\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Literal credentials, looked for in values and (the provider-specific ones) in comments too. */
const PROVIDER_SECRET_PATTERNS: readonly [string, RegExp][] = [
  ['a Langfuse key', /\b[ps]k-lf-[A-Za-z0-9-]{4,}/],
  ['an OpenAI/Anthropic-style key', /\bsk-[A-Za-z0-9_-]{16,}/],
  ['a Phoenix API key', /\bphx_[A-Za-z0-9]{8,}/],
  ['a GitHub token', /\b(?:ghp|gho|ghu|ghs|github_pat)_[A-Za-z0-9_]{16,}/],
  ['an AWS access key id', /\bAKIA[0-9A-Z]{16}\b/],
  ['a JWT', /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ['credentials in a URL', /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i],
];
const VALUE_SECRET_PATTERNS: readonly [string, RegExp][] = [
  ...PROVIDER_SECRET_PATTERNS,
  ['a literal Bearer/Basic credential', /\b(?:Bearer|Basic)\s+(?!\$\{env:)\S+/],
  ['a long opaque token', /[A-Za-z0-9+_=-]{32,}/],
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every key and scalar value in a parsed document, with its path. */
function* strings(
  value: unknown,
  path: string[] = [],
): Generator<{ path: string[]; isKey: boolean; isString: boolean; value: string }> {
  if (typeof value === 'string') {
    yield { path, isKey: false, isString: true, value };
  } else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    yield { path, isKey: false, isString: false, value: String(value) };
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* strings(item, [...path, String(i)]);
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      yield { path: [...path, k], isKey: true, isString: true, value: k };
      yield* strings(v, [...path, k]);
    }
  }
}

/** The comment block at the top of the file (the lines before the first non-comment line). */
export function headerComment(source: string): string {
  const lines: string[] = [];
  for (const line of source.split(/\r?\n/)) {
    if (line.startsWith('#')) lines.push(line);
    else if (line.trim() === '' && lines.length > 0) lines.push('');
    else if (line.trim() !== '') break;
  }
  return lines.join('\n');
}

/** The env variables a file reads, in order of first use. */
export function envVariables(source: string): string[] {
  const names = new Set<string>();
  for (const line of source.split(/\r?\n/)) {
    if (line.trimStart().startsWith('#')) continue;
    for (const match of line.matchAll(ENV_PLACEHOLDER)) names.add(match[1]);
  }
  return [...names];
}

export interface ParsedConfig {
  /** The document as plain data (undefined when it did not parse). */
  config?: Record<string, unknown>;
  errors: string[];
}

/** Parses a collector config; parse errors name the file and line. */
export function parseConfig(source: string, file: string): ParsedConfig {
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      errors: problems.map((e) => {
        const where = e.linePos ? `${file}:${e.linePos[0].line}:${e.linePos[0].col}` : file;
        return `${where}: YAML ${e.code}: ${e.message.split('\n')[0]}`;
      }),
    };
  }
  const config = doc.toJS() as unknown;
  if (!isRecord(config)) return { errors: [`${file}: the document is not a mapping`] };
  return { config, errors: [] };
}

/**
 * Checks one collector config file. Returns the problems found, each prefixed with the file name (empty when the
 * file passes).
 */
export function checkCollectorConfig(source: string, file: string): string[] {
  const parsed = parseConfig(source, file);
  if (!parsed.config) return parsed.errors;
  const config = parsed.config;
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${file}: ${message}`);

  // Sections.
  for (const key of Object.keys(config)) {
    if (!TOP_LEVEL_KEYS.has(key)) fail(`unknown top-level section "${key}"`);
  }
  for (const section of REQUIRED_SECTIONS) {
    if (!(section in config)) fail(`missing top-level section "${section}"`);
    else if (!isRecord(config[section])) fail(`"${section}" must be a mapping`);
  }
  for (const section of ['extensions', 'connectors']) {
    if (section in config)
      fail(`"${section}" is not used by these pipelines; the checker does not know its components`);
  }

  // Component definitions.
  const defined: Record<Kind, Set<string>> = { receivers: new Set(), processors: new Set(), exporters: new Set() };
  for (const kind of KINDS) {
    const section = config[kind];
    if (!isRecord(section)) continue;
    for (const id of Object.keys(section)) {
      defined[kind].add(id);
      const match = COMPONENT_ID.exec(id);
      if (!match) {
        fail(`${kind}: "${id}" is not a component id (type or type/name)`);
        continue;
      }
      const type = match[1];
      if (kind === 'exporters' && type in DEPRECATED_EXPORTERS) {
        fail(`exporters: "${id}" uses the deprecated alias "${type}"; use "${DEPRECATED_EXPORTERS[type]}"`);
      } else if (!ALLOWED_TYPES[kind].has(type)) {
        fail(`${kind}: "${id}" has type "${type}", not one of ${[...ALLOWED_TYPES[kind]].join(', ')}`);
      }
      const settings = section[id];
      if (settings !== null && !isRecord(settings)) fail(`${kind}: "${id}" must be a mapping (or empty)`);
    }
  }

  // Pipelines.
  const used: Record<Kind, Set<string>> = { receivers: new Set(), processors: new Set(), exporters: new Set() };
  const service = config.service;
  if (isRecord(service)) {
    for (const key of Object.keys(service)) {
      if (!SERVICE_KEYS.has(key)) fail(`service: unknown key "${key}"`);
    }
    if ('extensions' in service) fail('service.extensions is not used by these pipelines');
    const pipelines = service.pipelines;
    if (!isRecord(pipelines) || Object.keys(pipelines).length === 0) {
      fail('service.pipelines must be a non-empty mapping');
    } else {
      for (const [pipelineId, pipeline] of Object.entries(pipelines)) {
        const where = `service.pipelines.${pipelineId}`;
        const idMatch = COMPONENT_ID.exec(pipelineId);
        if (!idMatch || !PIPELINE_TYPES.has(idMatch[1])) {
          fail(`${where}: a pipeline id is traces, metrics or logs, optionally with /name`);
        }
        if (!isRecord(pipeline)) {
          fail(`${where} must be a mapping`);
          continue;
        }
        for (const key of Object.keys(pipeline)) {
          if (!PIPELINE_KEYS.has(key)) fail(`${where}: unknown key "${key}"`);
        }
        for (const kind of KINDS) {
          const list = pipeline[kind];
          if (list === undefined || list === null) {
            if (kind !== 'processors') fail(`${where} has no ${kind}`);
            continue;
          }
          if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
            fail(`${where}.${kind} must be a list of component ids`);
            continue;
          }
          if (list.length === 0 && kind !== 'processors') fail(`${where} has no ${kind}`);
          const seen = new Set<string>();
          for (const id of list) {
            if (seen.has(id)) fail(`${where}.${kind} lists "${id}" twice`);
            seen.add(id);
            used[kind].add(id);
            if (!defined[kind].has(id)) {
              fail(`${where}.${kind} references "${id}", which is not defined under ${kind}:`);
            }
          }
          if (kind === 'processors') {
            const types = list.map((id) => COMPONENT_ID.exec(id)?.[1]);
            const limiter = types.indexOf('memory_limiter');
            const batch = types.indexOf('batch');
            if (limiter > 0) fail(`${where}.processors: memory_limiter must be the first processor`);
            if (limiter !== -1 && batch !== -1 && batch < limiter) {
              fail(`${where}.processors: batch must come after memory_limiter`);
            }
          }
        }
      }
    }
  }
  for (const kind of KINDS) {
    for (const id of defined[kind]) {
      if (!used[kind].has(id)) fail(`${kind}: "${id}" is defined but no pipeline uses it`);
    }
  }

  // Placeholders and secrets.
  for (const { path, isKey, isString, value } of strings(config)) {
    const where = path.join('.');
    const rest = value.replace(ENV_PLACEHOLDER, '');
    if (rest.includes('$')) fail(`${where}: "${value}" has a "$" that is not an \${env:NAME} placeholder`);
    for (const match of value.matchAll(ENV_PLACEHOLDER)) {
      const [placeholder, name, fallback] = match;
      if (SECRET_ENV_NAME.test(name) && fallback !== undefined && fallback !== '') {
        fail(`${where}: ${placeholder} gives a credential variable a default value`);
      }
    }
    const key = path[path.length - 1] ?? '';
    if (!isKey && SECRET_KEY.test(key) && (!isString || !SECRET_VALUE_OK.test(value))) {
      fail(
        `${where}: a credential must be an \${env:NAME} placeholder without default (optionally after Bearer/Basic)`,
      );
    }
    for (const [what, pattern] of VALUE_SECRET_PATTERNS) {
      if (pattern.test(rest)) fail(`${where}: looks like ${what}; use an \${env:NAME} placeholder`);
    }
  }
  for (const [index, line] of source.split(/\r?\n/).entries()) {
    const comment = line.indexOf('#');
    if (comment === -1) continue;
    const text = line.slice(comment).replace(ENV_PLACEHOLDER, '');
    for (const [what, pattern] of PROVIDER_SECRET_PATTERNS) {
      if (pattern.test(text)) fail(`line ${index + 1}: the comment looks like it holds ${what}`);
    }
  }

  // Documentation: the header comment lists every env variable the file reads.
  const header = headerComment(source);
  if (header === '') fail('has no header comment');
  for (const name of envVariables(source)) {
    if (!new RegExp(`\\b${name}\\b`).test(header))
      fail(`reads \${env:${name}} but its header comment does not list it`);
  }

  return errors;
}
