import { Redactor } from '@fluxloop/sdk/capture';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import evaluationSchema from '../../schemas/evaluation.schema.json' with { type: 'json' };
import generatedInputsSchema from '../../schemas/generated-inputs.schema.json' with { type: 'json' };
import inputSchema from '../../schemas/input.schema.json' with { type: 'json' };
import projectSchema from '../../schemas/project.schema.json' with { type: 'json' };
import simulationSchema from '../../schemas/simulation.schema.json' with { type: 'json' };
import type { ConfigIssue } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { dottedPath, type YamlSource } from './yaml-source.js';

/** The published schema of each kind of file (`@fluxloop/core/schemas/<name>.schema.json`). */
export const SCHEMAS = {
  project: projectSchema,
  input: inputSchema,
  simulation: simulationSchema,
  evaluation: evaluationSchema,
  generatedInputs: generatedInputsSchema,
} as const;
export type SchemaName = keyof typeof SCHEMAS;

export const SCHEMA_FILE_NAMES: Record<SchemaName, string> = {
  project: 'project.schema.json',
  input: 'input.schema.json',
  simulation: 'simulation.schema.json',
  evaluation: 'evaluation.schema.json',
  generatedInputs: 'generated-inputs.schema.json',
};

/**
 * Validates parsed YAML against the schemas and fills in their defaults (the schemas are the one place defaults
 * are written down, so editors show the same values the loader applies). Compiles each schema on first use.
 */
export class SchemaChecker {
  private readonly ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    verbose: true, // errors carry their schema, which holds the wording and allowed keys
    strict: true,
    strictRequired: false, // the runner's oneOf names keys in `not` branches
    allowUnionTypes: true,
  });
  private readonly compiled = new Map<SchemaName, ValidateFunction>();

  constructor() {
    // Annotations yaml-language-server understands (they carry our human wording for a failing rule), and ours:
    // x-sensitive marks values that must not be echoed in messages.
    this.ajv.addVocabulary(['errorMessage', 'patternErrorMessage', 'x-sensitive']);
  }

  /** Validates `source.value` in place (defaults are added to it) and returns every problem found. */
  check(name: SchemaName, source: YamlSource): ConfigIssue[] {
    let validate = this.compiled.get(name);
    if (!validate) {
      validate = this.ajv.compile(SCHEMAS[name]);
      this.compiled.set(name, validate);
    }
    if (validate(source.value)) return [];
    return describeErrors(validate.errors ?? [], source);
  }
}

function segments(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const s of path) node = (node as Record<string | number, unknown> | undefined)?.[s];
  return node;
}

/** One user-facing message per ajv error; null drops an error another message already explains. */
function describe(error: ErrorObject, value: unknown): string | null {
  const schema = error.parentSchema as
    | { errorMessage?: string; patternErrorMessage?: string; 'x-sensitive'?: boolean }
    | undefined;
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return null; // reported with the key's own location below
    case 'required':
      return `missing required key "${p.missingProperty}"`;
    case 'enum':
      return `${show(value)} is not one of: ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type': {
      const wanted = String(p.type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(' or ');
      return `expected ${wanted}, got ${typeName(value)}${typeof value === 'object' ? '' : ` (${show(value)})`}`;
    }
    case 'pattern': {
      // A key meant to name a secret's variable may hold the secret itself: never echo it.
      const shown = schema?.['x-sensitive'] ? 'the value' : show(value);
      return `${shown} ${schema?.patternErrorMessage ?? `does not match ${p.pattern}`}`;
    }
    case 'minLength':
      return 'must not be empty';
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${p.comparison} ${p.limit}, got ${show(value)}`;
    case 'minItems':
      return `needs at least ${p.limit} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return schema?.errorMessage ?? `allows at most ${p.limit} items`;
    case 'uniqueItems':
      return `${show((value as unknown[])[p.j as number])} is listed twice`;
    case 'if':
    case 'not':
      return null; // the branch's own error says what is missing
    default:
      return schema?.errorMessage ?? error.message ?? error.keyword;
  }
}

function describeErrors(errors: ErrorObject[], source: YamlSource): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  // Messages quote the user's values; a key or token pasted into the wrong place must not reach the terminal.
  const redactor = new Redactor();
  const push = (path: (string | number)[], raw: string, key = false) => {
    const message = redactor.redactString(raw);
    const id = `${dottedPath(path)}\u0000${message}`;
    if (seen.has(id)) return;
    seen.add(id);
    issues.push({ file: source.file, ...source.locate(path, key), path: dottedPath(path), message });
  };
  // The runner's oneOf (target | http | process) fails as a tangle of sub-errors; say it in one sentence.
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  for (const error of errors) {
    const path = segments(error.instancePath);
    const value = valueAt(source.value, path);
    if (error.keyword === 'oneOf') {
      const options = Object.keys((error.parentSchema as { properties?: object }).properties ?? {}).filter((k) =>
        ((error.schema as { required?: string[] }[]) ?? []).some((branch) => branch.required?.[0] === k),
      );
      const present = options.filter((k) => value && typeof value === 'object' && k in value);
      push(
        path,
        present.length === 0
          ? `needs one of: ${options.join(', ')}`
          : `has ${present.join(' and ')}: keep exactly one of ${options.join(', ')}`,
      );
      continue;
    }
    if (oneOfPaths.has(error.instancePath) && error.schemaPath.includes('/oneOf/')) continue;
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const hint = didYouMean(key, allowed);
      const unknown = `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
      push([...path, key], allowed.length ? `${unknown}; allowed keys: ${allowed.join(', ')}` : unknown, true);
      continue;
    }
    const message = describe(error, value);
    if (message !== null) push(path, message);
  }
  return issues;
}
