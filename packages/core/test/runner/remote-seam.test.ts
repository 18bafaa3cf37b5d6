import { describe, expect, it } from 'vitest';
import { loadProject, runExperiment } from '../../src/index.js';
import { tempProject } from '../helpers/project.js';
import { readArtifacts } from './artifacts.js';

// runExperiment's default loader, not a test's stand-in: the remote targets are part of the build.
describe('runExperiment with runner.process and no remote loader given', () => {
  it('loads runner/remote on demand and runs the process target', async () => {
    const root = tempProject({
      'configs/project.yaml': 'name: demo\n',
      'configs/input.yaml': 'base_inputs:\n  - input: ping\n',
      'configs/simulation.yaml': [
        'runner:',
        '  quiet_period_ms: 0',
        '  process:',
        '    command: node',
        '    args: [agent.mjs]',
        '',
      ].join('\n'),
      'agent.mjs': `import readline from 'node:readline';
        for await (const line of readline.createInterface({ input: process.stdin })) {
          const m = JSON.parse(line);
          process.stdout.write(JSON.stringify({ type: 'final', id: m.id, output: 'pong ' + m.input }) + '\\n');
        }`,
    });
    const result = await runExperiment({ project: loadProject({ cwd: root, env: { PATH: process.env.PATH } }) });
    const artifacts = await readArtifacts(result.dir);
    expect(artifacts.traceSummaries.map((s) => [s.success, s.output, s.error])).toEqual([[true, 'pong ping', null]]);
  });
});
