import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordingLine } from '@fluxloop/sdk/recording';
import { loadProject, runExperiment } from '../../src/index.js';
import { tempProject } from '../helpers/project.js';
import { consistencyProblems, readArtifacts } from '../runner/artifacts.js';

const WORKSPACE_FLUXLOOP = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../node_modules/@fluxloop',
);

export interface ReplaySetup {
  /** The agent module (configs target ./agent.ts:<export>). */
  agent: string;
  target?: string;
  /** Lines of replay_args (unindented); default enabled + the recording file. */
  replay: string;
  /** Calls to record, as (function name, args, paramNames); written with the SDK's own encoder. */
  calls?: [string, unknown[], string[]?][];
  /** Raw recording file text instead of `calls`. */
  recordingText?: string;
  inputs?: string[];
  runner?: string;
  env?: string;
}

/** A project with an agent, a recording made by the SDK's encoder, and replay configured. */
export function replayProject(setup: ReplaySetup) {
  const recording =
    setup.recordingText ??
    (setup.calls ?? [])
      .map(([name, args, names]) => `${JSON.stringify(recordingLine(name, args, names, undefined))}\n`)
      .join('');
  const root = tempProject({
    'package.json': '{"name":"replay-test","private":true,"type":"module"}',
    'configs/project.yaml': 'name: replay\ncapture: full\n',
    'configs/input.yaml': `base_inputs:\n${(setup.inputs ?? ['hello', 'bye']).map((i) => `  - input: ${i}`).join('\n')}\n`,
    'configs/simulation.yaml':
      `runner:\n  target: ./agent.ts:${setup.target ?? 'handle'}\n${setup.runner ?? ''}` +
      `replay_args:\n${setup.replay
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')}\n`,
    'agent.ts': setup.agent,
    '.env': setup.env ?? '',
    ...(setup.recordingText !== undefined || setup.calls ? { 'recordings/args_recording.jsonl': recording } : {}),
  });
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(WORKSPACE_FLUXLOOP, path.join(root, 'node_modules', '@fluxloop'));
  return root;
}

export async function runReplay(root: string) {
  const project = loadProject({ cwd: root, env: {} });
  const result = await runExperiment({ project });
  const artifacts = await readArtifacts(result.dir);
  return { result, artifacts, problems: consistencyProblems(artifacts) };
}

/** The error a replay experiment fails with, and whether it left an experiments folder behind. */
export async function replayError(root: string): Promise<{ message: string; name: string; wroteFolder: boolean }> {
  const project = loadProject({ cwd: root, env: {} });
  const err = await runExperiment({ project }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!err) throw new Error('expected the experiment to fail');
  return { message: err.message, name: err.name, wroteFolder: fs.existsSync(path.join(root, 'experiments')) };
}
