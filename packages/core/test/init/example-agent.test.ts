import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject, readInputEntries } from '../../src/index.js';
import {
  linkWorkspacePackages,
  readJsonl,
  runNode,
  runTsx,
  scaffold,
  tempDir,
  WORKSPACE_ROOT,
} from './scaffold-helpers.js';

// Calls the scaffolded agent the way a user's script would, with FluxLoop's zero config writing JSONL files.
const DRIVER = `
import { forceFlush } from '@fluxloop/sdk';
import { run } from './agent.ts';

const outputs = [];
for (const input of JSON.parse(process.argv[2])) outputs.push(await run(input));
await forceFlush();
process.stdout.write(JSON.stringify(outputs));
`;

interface Node {
  name: string;
  type: string;
  children: Node[];
}

/** The observations of one trace as a tree of names and types (siblings sorted by name: start times tie). */
function tree(observations: Record<string, unknown>[], traceId: string, parent: string | null = null): Node[] {
  return observations
    .filter((o) => o.trace_id === traceId && o.parent_observation_id === parent)
    .map((o) => ({ name: String(o.name), type: String(o.type), children: tree(observations, traceId, String(o.id)) }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

describe('the example agent', () => {
  it('runs offline under tsx, answers deterministically and emits one small span tree per call', async () => {
    const { root } = scaffold();
    linkWorkspacePackages(root);
    fs.writeFileSync(path.join(root, 'drive.ts'), DRIVER);
    const baseInputs = [...new Set(readInputEntries(loadProject({ cwd: root, env: {} })).entries.map((e) => e.input))];
    const inputs = [...baseInputs, 'Where is B-9999?', 'Can I pay with cash?'];
    const traces = path.join(tempDir(), 'traces');
    const result = await runTsx(root, 'drive.ts', [JSON.stringify(inputs)], {
      FLUXLOOP_OUTPUT_DIR: traces,
      FLUXLOOP_CAPTURE_CONTENT: 'full',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      'Order A-1001 is shipped; expected Thursday.',
      'Order A-1002 is being packed; expected next Monday.',
      'You can return any item within 30 days for a full refund.',
      'Standard shipping takes 3-5 business days.',
      'I could not find order B-9999. Please check the number.',
      'I am not sure about that. A colleague will get back to you.',
    ]);

    const traceRecords = readJsonl(path.join(traces, 'traces.jsonl'));
    const observations = readJsonl(path.join(traces, 'observations.jsonl'));
    expect(traceRecords.map((t) => [t.name, t.status, t.input, t.output])).toEqual(
      inputs.map((input, i) => ['shopAssistant', 'success', [input], JSON.parse(result.stdout)[i]]),
    );
    const order = (tool: string) => [
      {
        name: 'shopAssistant',
        type: 'agent',
        children: [
          { name: 'intent.detected', type: 'event', children: [] },
          { name: tool, type: 'tool', children: [] },
        ],
      },
    ];
    expect(traceRecords.map((t) => tree(observations, String(t.trace_id)))).toEqual([
      order('lookupOrder'),
      order('lookupOrder'),
      order('searchFaq'),
      order('searchFaq'),
      order('lookupOrder'),
      order('searchFaq'),
    ]);
  });

  it('typechecks with strict TypeScript against the SDK a project installs', async () => {
    const { root } = scaffold();
    linkWorkspacePackages(root);
    const tsc = path.join(WORKSPACE_ROOT, 'node_modules/typescript/bin/tsc');
    const flags = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--skipLibCheck'];
    const result = await runNode(root, [tsc, ...flags, 'agent.ts']);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
