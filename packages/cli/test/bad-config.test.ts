import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from 'fluxloop';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, runCli, tempDir } from './helpers/cli.js';

afterAll(cleanup);

/** A valid project; each case replaces or adds files. */
const VALID: Record<string, string> = {
  'configs/project.yaml': 'name: demo\n',
  'configs/input.yaml': 'base_inputs:\n  - input: hi\n',
  'configs/simulation.yaml': 'runner:\n  target: ./agent.mjs:run\n',
  'agent.mjs': 'export const run = (input) => input;\n',
};

const sim = (...lines: string[]) => ({ 'configs/simulation.yaml': `${lines.join('\n')}\n` });
const input = (...lines: string[]) => ({ 'configs/input.yaml': `${lines.join('\n')}\n` });
const STRATEGIES =
  'rephrase, verbose, concise, error_prone, typo, casual, formal, multilingual, adversarial, persona_based';
const SECRET = 'sk-proj-4f8a9b2c7d1e6f3a5b8c9d0e';
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface BadConfig {
  /** What is wrong. */
  case: string;
  files: Record<string, string>;
  /** Default: run experiment. */
  command?: 'generate';
  /** Each must be on stderr: file:line:column, the key and what is allowed. */
  stderr: string[];
}

const CASES: BadConfig[] = [
  {
    case: 'an unknown key',
    files: sim('iteration: 2', 'runner:', '  target: ./agent.mjs:run'),
    stderr: [
      'configs/simulation.yaml:1:1: iteration: unknown key "iteration" (did you mean "iterations"?); allowed keys: ' +
        'name, iterations, concurrency, timeout_seconds, retries, fail_on_run_errors, tags, metadata, ' +
        'output_directory, runner, replay_args',
    ],
  },
  {
    case: 'an unknown nested key',
    files: sim('runner:', '  http:', '    url: http://127.0.0.1:9/chat', '    response: { outputpath: reply }'),
    stderr: [
      'configs/simulation.yaml:4:17: runner.http.response.outputpath: unknown key "outputpath" ' +
        '(did you mean "output_path"?); allowed keys: format, output_path, done_marker',
    ],
  },
  {
    case: 'a string for an integer',
    files: sim('concurrency: four', 'runner:', '  target: ./agent.mjs:run'),
    stderr: ['configs/simulation.yaml:1:14: concurrency: expected an integer, got a string ("four")'],
  },
  {
    case: 'a string for a list',
    files: input('base_inputs:', '  - input: hi', 'input_generation:', '  strategies: typo'),
    stderr: ['configs/input.yaml:4:15: input_generation.strategies: expected a list, got a string ("typo")'],
  },
  {
    case: 'a value out of range',
    files: sim('iterations: 0', 'runner:', '  target: ./agent.mjs:run'),
    stderr: ['configs/simulation.yaml:1:13: iterations: must be >= 1, got 0'],
  },
  {
    case: 'a missing required key',
    files: { 'configs/project.yaml': 'description: my agent\n' },
    stderr: ['configs/project.yaml:1:1: missing required key "name"'],
  },
  {
    case: 'a mode that does not exist',
    files: input('base_inputs:', '  - input: hi', 'input_generation:', '  mode: gpt'),
    stderr: ['configs/input.yaml:4:9: input_generation.mode: "gpt" is not one of: deterministic, llm'],
  },
  {
    case: 'a misspelt strategy',
    command: 'generate',
    files: input('base_inputs:', '  - input: hi', 'input_generation:', '  strategies: [rephrase, typoo]'),
    stderr: [`configs/input.yaml:4:26: input_generation.strategies[1]: "typoo" is not one of: ${STRATEGIES}`],
  },
  {
    case: 'an HTTP method that is not allowed',
    files: sim('runner:', '  http:', '    url: http://127.0.0.1:9/chat', '    method: DELETE'),
    stderr: ['configs/simulation.yaml:4:13: runner.http.method: "DELETE" is not one of: GET, POST, PUT, PATCH'],
  },
  {
    case: 'two targets at once',
    files: sim('runner:', '  target: ./agent.mjs:run', '  process: { command: node }'),
    stderr: ['configs/simulation.yaml:2:3: runner: has target and process: keep exactly one of target, http, process'],
  },
  {
    case: 'a target spec that names no export',
    files: sim('runner:', '  target: ./agent.mjs:run-now'),
    stderr: [
      'configs/simulation.yaml:2:11: runner.target: "./agent.mjs:run-now" has "run-now" after the colon, which is ' +
        'not an export name or Class.method; expected ./agent.ts:run (a named export)',
    ],
  },
  {
    case: 'a target file that does not exist',
    files: sim('concurrency: 2', 'runner:', '  target: ./agnet.mjs:run'),
    stderr: ['configs/simulation.yaml:3:11: runner.target: "./agnet.mjs:run": module not found: '],
  },
  {
    case: 'a base input for an unknown persona',
    files: input('personas:', '  - name: alice', 'base_inputs:', '  - input: hi', '    personas: [alice, bob]'),
    stderr: ['configs/input.yaml:5:23: base_inputs[0].personas[1]: "bob" is not a persona; personas: alice'],
  },
  {
    case: 'invalid YAML',
    files: sim('runner:', '  target: ./agent.mjs:run', '  tags: [unclosed'),
    stderr: ['configs/simulation.yaml:4:1: YAML syntax: '],
  },
  {
    case: 'a key written twice',
    files: sim('iterations: 1', 'runner:', '  target: ./agent.mjs:run', 'iterations: 2'),
    stderr: ['configs/simulation.yaml:4:1: YAML duplicate key: '],
  },
  {
    case: 'openai_compatible without base_url',
    command: 'generate',
    files: input(
      'base_inputs:',
      '  - input: hi',
      'input_generation:',
      '  mode: llm',
      '  llm:',
      '    provider: openai_compatible',
      '    model: local',
    ),
    stderr: ['configs/input.yaml:6:5: input_generation.llm: provider openai_compatible needs base_url'],
  },
  {
    case: 'replay_args enabled without override_param_path',
    files: {
      ...sim('runner:', '  target: ./agent.mjs:run', 'replay_args:', '  enabled: true'),
      'recordings/args_recording.jsonl': `${JSON.stringify({ function: 'run', args: ['hi'], kwargs: {}, timestamp: '2025-11-11T10:30:00Z' })}\n`,
    },
    stderr: [
      'configs/simulation.yaml:4:3: replay_args.override_param_path: is needed to replay: it says where each input ' +
        'goes in the recorded calls; the recordings have string values at args.0',
    ],
  },
  {
    case: 'a header using an unset variable',
    files: sim(
      'runner:',
      '  http:',
      '    url: http://127.0.0.1:9/chat',
      '    headers:',
      `      Authorization: Bearer \${FLUXLOOP_TEST_UNSET_TOKEN}`,
    ),
    stderr: [
      `configs/simulation.yaml:5:22: runner.http.headers.Authorization uses \${FLUXLOOP_TEST_UNSET_TOKEN}, ` +
        "but FLUXLOOP_TEST_UNSET_TOKEN is not set in the environment or the project's .env",
    ],
  },
  {
    case: 'a command that is not on the PATH',
    files: sim('runner:', '  process:', '    command: fluxloop-no-such-agent'),
    stderr: [
      'configs/simulation.yaml:3:14: runner.process.command: command "fluxloop-no-such-agent" was not found on the PATH',
    ],
  },
  {
    case: 'a secret where a variable name belongs (never echoed)',
    files: input('base_inputs:', '  - input: hi', 'input_generation:', `  llm: { api_key_env: ${SECRET} }`),
    stderr: [
      'configs/input.yaml:4:23: input_generation.llm.api_key_env: the value must be an environment variable name',
    ],
  },
  {
    case: 'evaluators before evaluation exists',
    files: { 'configs/evaluation.yaml': 'evaluators:\n  - name: accuracy\n' },
    stderr: ['configs/evaluation.yaml:2:3: evaluators: must be empty (evaluators: [])'],
  },
  {
    case: 'a generated inputs file with a number for an input',
    files: { 'inputs/generated.yaml': 'inputs:\n  - input: hi\n  - input: 42\n' },
    stderr: ['inputs/generated.yaml:3:12: inputs[1].input: expected a string, got an integer (42)'],
  },
];

// Every case is one run of the built binary in a project of its own; they do not depend on each other.
describe.concurrent('a bad configuration: exit 2, file:line:column and the key on stderr, nothing written', () => {
  it.each(CASES)('$case', async ({ files, command, stderr }) => {
    const root = tempDir('fluxloop-bad-config-');
    for (const [file, content] of Object.entries({ ...VALID, ...files })) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    const generated = fs.existsSync(path.join(root, 'inputs/generated.yaml'));
    const args = command === 'generate' ? ['generate', 'inputs'] : ['run', 'experiment'];
    const exit = await runCli(args, { cwd: root, timeoutMs: 30_000 });
    expect([exit.code, exit.stdout]).toEqual([ExitCode.usage, '']);
    // At the start of a line: `fluxloop: <problem>`, or indented under `fluxloop: invalid configuration:`.
    for (const expected of stderr) expect(exit.stderr).toMatch(new RegExp(`(^fluxloop: |\n  )${literally(expected)}`));
    expect(exit.stderr).not.toContain(SECRET);
    expect(fs.existsSync(path.join(root, 'experiments'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'inputs'))).toBe(generated);
  });
});
