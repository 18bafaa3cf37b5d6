import path from 'node:path';
import { decodeCall } from '@fluxloop/sdk/recording';
import { UserError } from '../errors.js';
import type { Project } from '../project/load.js';
import type { ReplayArgs, RunnerConfig } from '../project/types.js';
import type { Target } from '../runner/types.js';
import { candidatePaths } from './candidates.js';
import { replayConfigError } from './issues.js';
import { type ParamPath, parseParamPath, resolveParamPath } from './param-path.js';
import { listFunctions, type Recording, readRecordingFile } from './recordings.js';
import type { ReplayPlan } from './replay-target.js';
import { matchesFunction, type ReplayedFunction, recordsAs, signatureMismatch } from './signature.js';

export interface PrepareReplayOptions {
  project: Project;
  replay: ReplayArgs;
  runner: RunnerConfig;
  target: Target;
  traced: ReplayPlan['traced'];
}

const MAX_LISTED = 5;

function selectRecordings(
  options: PrepareReplayOptions,
  target: ReplayedFunction,
  all: Recording[],
  functions: Map<string, number>,
  display: string,
): Recording[] {
  const wanted = options.replay.function;
  if (wanted !== undefined) {
    const selected = all.filter((r) => r.function === wanted);
    if (selected.length > 0) return selected;
    throw replayConfigError(
      options.project,
      'function',
      `no recording of "${wanted}" in ${display}; it holds recordings of: ${listFunctions(functions)}`,
    );
  }
  const name = recordsAs(target.fn);
  if (name !== undefined && !all.some((r) => matchesFunction(r.function, name))) {
    throw replayConfigError(
      options.project,
      'function',
      `no recording for the target function ${name} (${target.description}) in ${display}; it holds recordings ` +
        `of: ${listFunctions(functions)}. Record ${name} (call it with recording on), or set replay_args.function ` +
        'to replay one of those',
    );
  }
  return all;
}

/** Every recording must take the input at the path and still fit the function: checked before any run. */
function checkRecordings(target: ReplayedFunction, recordings: Recording[], p: ParamPath, display: string) {
  const problems: string[] = [];
  let pathProblems = 0;
  for (const r of recordings) {
    const resolved = resolveParamPath(decodeCall(r), p);
    let problem: string | undefined;
    if (!resolved.ok) {
      pathProblems++;
      const where = resolved.resolvedTo || 'the call';
      problem = `override_param_path "${p.text}" does not resolve: ${where} has ${
        resolved.keys.length ? `keys ${resolved.keys.join(', ')}` : 'no keys'
      }`;
    } else {
      problem = signatureMismatch(r, target);
    }
    if (problem) problems.push(`${display}:${r.line} (${r.function}): ${problem}`);
  }
  if (problems.length === 0) return;
  const shown = problems.slice(0, MAX_LISTED).map((l) => `  ${l}`);
  if (problems.length > MAX_LISTED) shown.push(`  … and ${problems.length - MAX_LISTED} more`);
  const advice =
    pathProblems > 0
      ? 'set replay_args.override_param_path in configs/simulation.yaml to a path every recording has'
      : 'the function changed since these calls were recorded: re-record them (delete the recording file, run ' +
        'your app with recording on), or set replay_args.function to replay only matching ones';
  throw new UserError(
    `${problems.length} of ${recordings.length} recordings cannot be replayed:\n${shown.join('\n')}\n${advice}`,
  );
}

/**
 * The replay of configs/simulation.yaml `replay_args`, checked in full before the first run: the recording file,
 * the function filter, override_param_path against every recording, and each recording against the function's
 * current signature. Undefined when replay is off.
 */
export async function prepareReplay(options: PrepareReplayOptions): Promise<ReplayPlan | undefined> {
  const { project, replay, runner, target } = options;
  if (!replay.enabled) return undefined;
  if (!target.replayable) {
    throw replayConfigError(
      project,
      'enabled',
      `replay needs a module function target (runner.target): an ${target.kind} target receives inputs, not ` +
        'recorded calls. Set replay_args.enabled: false',
    );
  }
  if (runner.pass_context) {
    throw replayConfigError(
      project,
      'enabled',
      'runner.pass_context does not apply to replayed calls (they are called with the recorded arguments): ' +
        'remove pass_context or set replay_args.enabled: false',
    );
  }
  const file = project.resolve(replay.recording_file);
  const display = path.relative(project.root, file) || file;
  const { recordings: all, functions } = await readRecordingFile(file, display);
  const replayable = target.replayable;
  const replayed: ReplayedFunction = { fn: replayable.fn, description: runner.target ?? target.description };
  const recordings = selectRecordings(options, replayed, all, functions, display);
  if (replay.override_param_path === undefined) {
    const candidates = candidatePaths(decodeCall(recordings[0]!), MAX_LISTED);
    throw replayConfigError(
      project,
      'override_param_path',
      'is needed to replay: it says where each input goes in the recorded calls' +
        (candidates.length ? `; the recordings have string values at ${candidates.join(', ')}` : ''),
    );
  }
  const parsed = parseParamPath(replay.override_param_path);
  if ('problem' in parsed) throw replayConfigError(project, 'override_param_path', parsed.problem);
  checkRecordings(replayed, recordings, parsed, display);
  return {
    recordings,
    path: parsed,
    target: replayed,
    call: (args) => replayable.call(args),
    traced: options.traced,
  };
}
