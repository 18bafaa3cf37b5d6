import type { InputEntry } from '@fluxloop/core';
import { ExitCode } from 'fluxloop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifacts } from '../../core/test/runner/artifacts.js';
import { cleanup } from './helpers/cli.js';
import { AGENT_SERVER, JSONL_AGENT, SUPPORT_AGENT } from './workflow-agents.js';
import {
  freePort,
  generateInputs,
  initProject,
  runExperiment,
  startServer,
  stopServers,
  treeOf,
  workflowArtifacts,
  writeFiles,
} from './workflow-helpers.js';

afterAll(() => {
  stopServers();
  cleanup();
});

// Two personas x two base inputs x two strategies: eight generated entries; busy_professional's runs fail.
const INPUT_YAML = `
personas:
  - name: first_time_buyer
    expertise_level: novice
  - name: busy_professional
    expertise_level: expert
base_inputs:
  - input: Where is my order A-1001?
  - input: Has order A-1002 shipped yet?
input_generation:
  strategies: [rephrase, typo]
  seed: 7
`;

// One project for the three targets (each test writes its runner and its own output folder): init, the user's own
// inputs and agents, generate inputs; and the agent's HTTP server, started beforehand with its OTLP endpoint fixed.
let root: string;
let entries: InputEntry[];
let otlpPort: number;
let serverUrl: string;

beforeAll(async () => {
  root = await initProject();
  writeFiles(root, {
    'configs/input.yaml': INPUT_YAML,
    'support.mjs': SUPPORT_AGENT,
    'server.mjs': AGENT_SERVER,
    'agent.mjs': JSONL_AGENT,
  });
  ({ entries } = await generateInputs(root));
  expect(entries).toHaveLength(8);
  otlpPort = await freePort();
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`, FLUXLOOP_STORAGE: 'none' };
  serverUrl = `http://127.0.0.1:${await startServer(root, 'server.mjs', env)}`;
});

/** Writes the runner and runs two iterations into `<output>/`. */
function experiment(runner: string, output: string, args: string[] = []) {
  writeFiles(root, {
    'configs/simulation.yaml': `iterations: 2\nconcurrency: 4\nrunner:\n  quiet_period_ms: 100\n${runner}`,
  });
  return runExperiment(root, ['--output-dir', output, ...args]);
}

/** What the support agent answers (the server's output before any streaming). */
const answerTo = (input: unknown) =>
  `Answer to ${input} (${/A-1002/i.test(String(input)) ? 'being packed' : 'shipped'})`;

/**
 * Every run of busy_professional failed with `failure` and has the runner's root and the agent's failed span; every
 * other run has the agent's output and its spans (received over OTLP) under the run's root, with their tokens.
 */
function expectSupportRuns(a: Artifacts, root: string, failure: string, output: (input: unknown) => unknown) {
  for (const run of a.traceSummaries) {
    if (run.persona === 'busy_professional') {
      expect([run.success, run.output, String(run.error).split('; last log lines:')[0]]).toEqual([
        false,
        null,
        failure,
      ]);
      expect(treeOf(a, run)).toEqual([`agent supportAgent <- ${root}`, `span ${root} <- none`]);
    } else {
      expect([run.success, run.output, run.error]).toEqual([true, output(run.input), null]);
      expect(run.token_usage).toEqual({ input_tokens: 10, output_tokens: 4, total_tokens: 14 });
      expect(treeOf(a, run)).toEqual([
        `agent supportAgent <- ${root}`,
        'generation chat <- supportAgent',
        `span ${root} <- none`,
        'tool lookupOrder <- supportAgent',
      ]);
    }
  }
  expect(a.summary.results).toMatchObject({ successful: 8, failed: 8, success_rate: 0.5 });
  expect(a.summary.results.token_usage).toEqual({ input_tokens: 80, output_tokens: 32, total_tokens: 112 });
}

describe('init -> generate inputs -> run experiment, remote targets (built CLI)', () => {
  it('an HTTP endpoint answering JSON, started beforehand and pointed at --otlp-port', async () => {
    const url = `${serverUrl}/chat`;
    const exit = await experiment(
      `  http:\n    url: ${url}\n    body: { message: "\${input}", persona: "\${persona}" }\n` +
        '    response: { output_path: reply }\n',
      'out-json',
      ['--otlp-port', String(otlpPort)],
    );
    expect(exit.code, exit.stderr).toBe(ExitCode.gateFailed);
    expect(exit.stderr).toContain(`OTLP receiver for the target's spans: http://127.0.0.1:${otlpPort}`);
    expect(exit.stderr).toContain('✗ 16 runs: 8 succeeded, 8 failed (success rate 50.0%)');
    const a = await workflowArtifacts(root, entries, 2, 'out-json');
    const failure = `RemoteRunError: POST ${url} answered HTTP 500 Internal Server Error: "{\\"error\\":\\"no time for busy_professional\\"}"`;
    expectSupportRuns(a, `POST ${url}`, failure, answerTo);
  });

  it('an HTTP endpoint streaming SSE, read at response.output_path, the receiver port in runner.otlp_port', async () => {
    const url = `${serverUrl}/stream`;
    const exit = await experiment(
      `  otlp_port: ${otlpPort}\n  http:\n    url: ${url}\n` +
        `    body: { message: "\${input}", persona: "\${persona}" }\n` +
        '    response: { format: sse, output_path: choices.0.delta.content }\n',
      'out-sse',
    );
    expect(exit.code, exit.stderr).toBe(ExitCode.gateFailed);
    const a = await workflowArtifacts(root, entries, 2, 'out-sse');
    const failure = 'RemoteRunError: the event stream sent an error event: no time for busy_professional';
    // The pieces are the words, each with a space after it.
    expectSupportRuns(a, `POST ${url}`, failure, (input) => `${answerTo(input)} `);
  });

  it('a subprocess speaking JSONL (persistent), its spans sent to the receiver the runner gave it', async () => {
    const exit = await experiment(
      '  process:\n    command: node\n    args: [agent.mjs]\n    mode: persistent\n' +
        '    env: { FLUXLOOP_STORAGE: none }\n',
      'out-process',
      ['--verbose'],
    );
    expect(exit.code, exit.stderr).toBe(ExitCode.gateFailed);
    // --verbose shows what the process logs for a run, live, under the run's id.
    expect(exit.stderr).toMatch(/^ {2}i0-e\d+ │ working on i0-e\d+$/m);
    expect(exit.stderr).toMatch(/OTLP receiver for the target's spans: http:\/\/127\.0\.0\.1:\d+/);
    const a = await workflowArtifacts(root, entries, 2, 'out-process');
    expectSupportRuns(a, 'node agent.mjs', 'RemoteRunError: no time for busy_professional', answerTo);
  });
});
