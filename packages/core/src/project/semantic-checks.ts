import type { ConfigIssue } from '../errors.js';
import type { ConfigName, ConfigTypes } from './types.js';
import type { YamlSource } from './yaml-source.js';

type Sources = Partial<Record<ConfigName, YamlSource>>;

/** Rules a schema cannot express: names that must be unique or must refer to something defined elsewhere. */
export function semanticIssues(configs: Partial<ConfigTypes>, sources: Sources): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (name: ConfigName, path: (string | number)[], dotted: string, message: string) => {
    const source = sources[name];
    issues.push({ file: source?.file ?? name, ...source?.locate(path), path: dotted, message });
  };
  const input = configs.input;
  if (input) {
    const names = new Set<string>();
    input.personas.forEach((persona, i) => {
      if (names.has(persona.name))
        at(
          'input',
          ['personas', i, 'name'],
          `personas[${i}].name`,
          `"${persona.name}" is used by two personas: names must be unique`,
        );
      names.add(persona.name);
    });
    input.base_inputs.forEach((base, i) => {
      base.personas?.forEach((name, j) => {
        if (!names.has(name)) {
          const known = [...names].join(', ') || 'none defined';
          at(
            'input',
            ['base_inputs', i, 'personas', j],
            `base_inputs[${i}].personas[${j}]`,
            `"${name}" is not a persona; personas: ${known}`,
          );
        }
      });
    });
    const llm = input.input_generation.llm;
    if (llm.provider === 'openai_compatible') {
      for (const key of ['base_url', 'model'] as const) {
        if (!llm[key])
          at('input', ['input_generation', 'llm'], 'input_generation.llm', `provider openai_compatible needs ${key}`);
      }
    }
  }
  return issues;
}
