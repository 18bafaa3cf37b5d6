import { UserError } from '../errors.js';

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in a config string: run values first (`${input}`, `${persona}`...), then environment
 * variables. An unset variable is an error naming it and where it was used, never an empty string.
 */
export function expandTemplate(
  template: string,
  where: string,
  values: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    if (Object.hasOwn(values, name)) return values[name]!;
    const value = env[name];
    if (value === undefined) {
      throw new UserError(`${where} uses \${${name}}, but ${name} is not set in the environment or the project's .env`);
    }
    return value;
  });
}

/** Names of the environment variables a template refers to (doctor reports the unset ones). */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
