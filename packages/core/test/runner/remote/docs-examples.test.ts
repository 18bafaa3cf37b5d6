import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configure } from './helpers/environment.js';
import { testRun } from './helpers/run-context.js';
import { processTarget } from './helpers/targets.js';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../docs/cli/targets.md');

/** The fenced code block of docs/cli/targets.md whose first line is `firstLine`. */
function codeBlock(firstLine: string): string {
  const blocks = [...fs.readFileSync(DOC, 'utf8').matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = blocks.find((b) => b.startsWith(`${firstLine}\n`));
  if (!block) throw new Error(`${DOC}: no code block starting with ${firstLine}`);
  return block;
}

describe('the JavaScript agent of docs/cli/targets.md', () => {
  it.each(['per_run', 'persistent'] as const)('works as documented in %s mode', async (mode) => {
    const { runner, env } = configure(
      { process: { command: 'node', args: ['agent.mjs'], mode } },
      { PATH: path.dirname(process.execPath) },
      { 'agent.mjs': codeBlock('// agent.mjs') },
    );
    const target = await processTarget(runner.process!, env);
    const runs = [testRun(), testRun()];
    const outputs = [await target.invoke('hi there', runs[0]!), await target.invoke(42, runs[1]!)];
    expect({ outputs, deltas: runs.map((r) => r.deltas), logs: runs.map((r) => r.logs) }).toEqual({
      outputs: ['You said: hi there', 'You said: 42'],
      deltas: [
        ['You ', 'said: ', 'hi ', 'there '],
        ['You ', 'said: ', '42 '],
      ],
      logs: runs.map((r) => [`working on ${r.runId}`]),
    });
  });
});
