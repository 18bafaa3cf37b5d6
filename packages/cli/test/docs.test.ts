import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMAS } from '@fluxloop/core';
import { describe, expect, it } from 'vitest';
import { runMain } from './helpers/cli.js';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'cli');
const read = (file: string) => fs.readFileSync(path.join(DOCS, file), 'utf8');

/** The first cell of every table row that starts with a code span: `--iterations <n>`, `runner.factory`, ... */
const firstCells = (markdown: string) =>
  [...markdown.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!.split(' ')[0]!).filter((cell) => cell.length > 0);

/** The long options `--help` lists (`--[no-]x` as both). */
async function helpFlags(command: string[]): Promise<Set<string>> {
  const { out } = await runMain([...command, '--help']);
  return new Set([...out.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]!).filter((flag) => flag !== '--help'));
}

describe('docs/cli pages document the flags and keys that exist, and all of them', () => {
  it.each([
    ['inputs.md', ['generate', 'inputs']],
    ['experiments.md', ['run', 'experiment']],
  ])('%s: the flag table is the --help of fluxloop %s', async (page, command) => {
    const documented = new Set(firstCells(read(page)).filter((cell) => cell.startsWith('--')));
    expect(documented).toEqual(await helpFlags(command));
  });

  it('experiments.md: every configs/simulation.yaml key in its table is in the schema, and every key is there', () => {
    const schema = SCHEMAS.simulation as { properties: Record<string, { properties?: Record<string, unknown> }> };
    const keys = [
      ...Object.keys(schema.properties),
      ...['factory', 'pass_context', 'tsconfig', 'otlp_port', 'quiet_period_ms'].map((k) => `runner.${k}`),
    ];
    for (const key of Object.keys(schema.properties.runner!.properties!)) {
      if (!['target', 'http', 'process'].includes(key)) expect(keys).toContain(`runner.${key}`);
    }
    const documented = firstCells(read('experiments.md').split('## `configs/simulation.yaml`')[1]!.split('##')[0]!);
    expect(documented.sort()).toEqual(keys.sort());
  });
});
