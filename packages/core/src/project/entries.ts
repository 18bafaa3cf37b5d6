import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Project } from './load.js';
import { readYamlFile } from './load.js';
import { SchemaChecker } from './schema-check.js';
import type { GeneratedInputsFile, InputConfig, InputEntry } from './types.js';

export const DEFAULT_INPUTS_FILE = 'inputs/generated.yaml';

export interface InputEntries {
  entries: InputEntry[];
  /** Where they came from: the generated inputs file, or base_inputs x personas of configs/input.yaml. */
  source: { kind: 'file'; file: string } | { kind: 'base_inputs' };
}

/** base_inputs x personas (each base input only for the personas it names, if it names any), unchanged. */
export function baseInputEntries(input: InputConfig): InputEntry[] {
  const entries: InputEntry[] = [];
  input.base_inputs.forEach((base, baseIndex) => {
    const personas = input.personas.filter((p) => !base.personas || base.personas.includes(p.name));
    const names = personas.length ? personas.map((p) => p.name) : [null];
    for (const persona of names) {
      entries.push({
        input: base.input,
        strategy: null,
        persona,
        base_index: baseIndex,
        seed: null,
        ...(base.expected !== undefined ? { expected: base.expected } : {}),
        ...(base.metadata !== undefined ? { metadata: base.metadata } : {}),
      });
    }
  });
  return entries;
}

/** Reads and validates a generated inputs file (line-numbered errors like the configs). */
export function readInputsFile(absolute: string, display: string): GeneratedInputsFile {
  const source = readYamlFile(absolute, display);
  if (!('value' in source)) throw new ConfigError([source]);
  if (source.issues.length) throw new ConfigError(source.issues);
  const issues = new SchemaChecker().check('generatedInputs', source);
  if (issues.length) throw new ConfigError(issues);
  return source.value as GeneratedInputsFile;
}

/**
 * The experiment's input entries: from `inputs_file` when it exists, otherwise base_inputs x personas. No entries
 * at all is an error that says how to get some.
 */
export function readInputEntries(project: Project): InputEntries {
  const input = project.configs.input;
  const relative = input?.inputs_file ?? DEFAULT_INPUTS_FILE;
  const absolute = project.resolve(relative);
  const display = path.relative(project.root, absolute) || relative;
  if (fs.existsSync(absolute)) {
    const file = readInputsFile(absolute, display);
    if (file.inputs.length === 0) {
      throw new ConfigError([
        {
          file: display,
          path: 'inputs',
          message: 'is empty: run fluxloop generate inputs, or delete the file to run base_inputs',
        },
      ]);
    }
    return { entries: file.inputs, source: { kind: 'file', file: absolute } };
  }
  const entries = input ? baseInputEntries(input) : [];
  if (entries.length === 0) {
    throw new ConfigError(
      [
        {
          file: 'configs/input.yaml',
          path: 'base_inputs',
          message: `no inputs: add base_inputs here, or generate ${display} with fluxloop generate inputs`,
        },
      ],
      'nothing to run:',
    );
  }
  return { entries, source: { kind: 'base_inputs' } };
}
