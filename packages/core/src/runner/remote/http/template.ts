import { expandTemplate, templateVariables } from '../../../project/env-template.js';
import type { RunContext } from '../../types.js';

/** The `${NAME}`s a request template takes from the run rather than from the environment. */
export const RUN_VARIABLES = ['input', 'persona', 'iteration', 'run_id', 'experiment_id'] as const;

// biome-ignore lint/suspicious/noTemplateCurlyInString: the config's placeholder, not a JS template.
const EXACT_INPUT = '${input}';

/** Environment, as targets see it. */
type Env = Readonly<Record<string, string | undefined>>;

/** The run's values as they appear inside a string: a non-string input is written as JSON. */
export function runValues(input: unknown, ctx: RunContext): Record<string, string> {
  return {
    input: typeof input === 'string' ? input : JSON.stringify(input ?? null),
    persona: ctx.persona ?? '',
    iteration: String(ctx.iteration),
    run_id: ctx.runId,
    experiment_id: ctx.experimentId,
  };
}

/** Placeholder run values for checking a template before any run: only environment variables can be missing. */
const CHECK_VALUES: Record<string, string> = Object.fromEntries(RUN_VARIABLES.map((name) => [name, '']));

/** Names a key under runner.http for messages: `body.messages[0].content` -> `configs/simulation.yaml:9:22: ...`. */
export type Where = (key: string) => string;

/**
 * Throws the UserError of the first environment variable that a template string, or any string inside a JSON
 * template, uses without it being set; `key` is the template's key under runner.http (`body`).
 */
export function checkTemplate(template: unknown, key: string, where: Where, env: Env): void {
  walkStrings(template, key, (text, at) => {
    expandTemplate(text, where(at), CHECK_VALUES, env);
  });
}

/** The environment variables (not run values) a template string uses. */
export function environmentVariables(template: string): string[] {
  return templateVariables(template).filter((name) => !(RUN_VARIABLES as readonly string[]).includes(name));
}

/**
 * The JSON request body for one run: every string has its `${NAME}`s replaced, in nested objects and arrays
 * alike (object keys are left as written). A string that is exactly "${input}" becomes the input value itself,
 * so a structured input (replayed arguments) is sent as JSON rather than as a string.
 */
export function renderBody(
  template: unknown,
  key: string,
  where: Where,
  input: unknown,
  values: Record<string, string>,
  env: Env,
): unknown {
  if (typeof template === 'string') {
    return template === EXACT_INPUT ? input : expandTemplate(template, where(key), values, env);
  }
  if (Array.isArray(template)) {
    return template.map((item, i) => renderBody(item, `${key}[${i}]`, where, input, values, env));
  }
  if (isObject(template)) {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(template)) {
      out[name] = renderBody(value, `${key}.${name}`, where, input, values, env);
    }
    return out;
  }
  return template;
}

/** A URL for one run: run values are percent-encoded (they usually land in a query string), environment values not. */
export function renderUrl(template: string, where: string, values: Record<string, string>, env: Env): string {
  const encoded = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]));
  return expandTemplate(template, where, encoded, env);
}

/** A header value for one run: line breaks in run values become spaces, so an input cannot add a header. */
export function renderHeader(template: string, where: string, values: Record<string, string>, env: Env): string {
  const flat = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(/[\r\n]+/g, ' ')]));
  return expandTemplate(template, where, flat, env);
}

function walkStrings(value: unknown, key: string, visit: (text: string, key: string) => void): void {
  if (typeof value === 'string') visit(value, key);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walkStrings(item, `${key}[${i}]`, visit);
  } else if (isObject(value)) {
    for (const [name, item] of Object.entries(value)) walkStrings(item, `${key}.${name}`, visit);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
