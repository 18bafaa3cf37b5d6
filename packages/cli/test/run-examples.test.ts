import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { consistencyProblems, readArtifacts } from '../../core/test/runner/artifacts.js';
import { cleanup, runCli, tempDir } from './helpers/cli.js';
import { experimentDirs } from './run-helpers.js';

afterEach(cleanup);

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

/** `fluxloop run experiment --project examples/<name>` as the README runs it, writing into a temp folder. */
async function runExample(name: string, extra: string[] = []) {
  const out = tempDir('fluxloop-example-');
  const exit = await runCli(
    ['run', 'experiment', '--project', path.join(EXAMPLES, name), '--output-dir', out, ...extra],
    {
      cwd: path.join(EXAMPLES, '..'),
      // No provider key: the examples must run offline whatever the developer's shell holds.
      env: { OPENAI_API_KEY: '' },
      timeoutMs: 60_000,
    },
  );
  const [dir] = experimentDirs(path.dirname(out), path.basename(out));
  const artifacts = await readArtifacts(dir!);
  return { exit, artifacts, problems: consistencyProblems(artifacts) };
}

describe('the bundled examples run as experiments, offline', () => {
  it('examples/basic-agent (npm run example): every run succeeds with its generation tokens', async () => {
    const { exit, artifacts, problems } = await runExample('basic-agent', ['--verbose']);
    expect(exit.code).toBe(ExitCode.ok);
    expect(problems).toEqual([]);
    expect(exit.stderr).toContain('✓ 14 runs: 14 succeeded, 0 failed');
    expect(artifacts.traces).toHaveLength(14);
    for (const trace of artifacts.traces) {
      const types = artifacts.observations.filter((o) => o.trace_id === trace.trace_id).map((o) => o.type);
      expect(types.sort()).toContain('generation');
      expect(trace.token_usage.total_tokens).toBeGreaterThan(0);
      expect(trace.tags).toEqual(['example']);
      expect(trace.user_id).toBe(trace.persona);
    }
    const missing = artifacts.traces.find((t) => String(t.input).includes('Z-9999'));
    expect(missing?.output).toBe('I could not find that order. Could you check the number?');
  });

  it('examples/langgraph-agent: the graph, its model calls (with tokens) and its tool under each run', async () => {
    const { exit, artifacts, problems } = await runExample('langgraph-agent');
    expect(exit.code).toBe(ExitCode.ok);
    expect(problems).toEqual([]);
    const trace = artifacts.traces.find((t) => t.input === 'Where is my order A-1001?')!;
    expect(trace.output).toBe('Order A-1001 is shipped; it should arrive on Thursday.');
    const observations = artifacts.observations.filter((o) => o.trace_id === trace.trace_id);
    const generations = observations.filter((o) => o.type === 'generation');
    expect(generations.map((g) => g.model)).toEqual(['fake-support-model', 'fake-support-model']);
    expect(trace.token_usage.total_tokens).toBe(
      generations.reduce((sum, g) => sum + (g.token_usage?.total_tokens ?? 0), 0),
    );
    expect(observations.filter((o) => o.type === 'tool').map((o) => o.name)).toEqual(['lookup_order']);
  });
});
