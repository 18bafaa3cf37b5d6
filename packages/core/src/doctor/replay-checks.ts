import path from 'node:path';
import { decodeCall } from '@fluxloop/sdk/recording';
import { UserError } from '../errors.js';
import { parseParamPath, resolveParamPath } from '../replay/param-path.js';
import { listFunctions, readRecordingFile } from '../replay/recordings.js';
import type { ProjectInspection } from './inspect-project.js';
import { type CheckResult, fail, ok, skip } from './types.js';

const NAME = 'replay';
const SIMULATION = 'configs/simulation.yaml';

/**
 * With replay_args.enabled: the recording file, the function filter and override_param_path against every
 * selected recording, as `run experiment` checks them (the signature check needs the target loaded: the run does
 * it). Skipped when replay is off.
 */
export async function checkReplay(inspection: ProjectInspection): Promise<CheckResult> {
  if (!inspection.found) return skip(NAME, 'no project');
  const replay = inspection.configs.simulation?.replay_args;
  if (!replay) return skip(NAME, `${SIMULATION} is missing or invalid`);
  if (!replay.enabled) return skip(NAME, 'replay_args.enabled is false');
  const file = inspection.resolve(replay.recording_file);
  const display = path.relative(inspection.root, file) || file;
  let recordings: Awaited<ReturnType<typeof readRecordingFile>>;
  try {
    recordings = await readRecordingFile(file, display);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return fail(NAME, err.message, 'record calls with `fluxloop record enable` and your app, or fix the file');
  }
  const selected = replay.function
    ? recordings.recordings.filter((r) => r.function === replay.function)
    : recordings.recordings;
  if (selected.length === 0) {
    return fail(
      NAME,
      `no recording of "${replay.function}" in ${display} (it has ${listFunctions(recordings.functions)})`,
      `fix replay_args.function in ${SIMULATION}`,
    );
  }
  if (replay.override_param_path === undefined) {
    return fail(NAME, 'replay_args.override_param_path is not set', `set it in ${SIMULATION}, e.g. kwargs.message`);
  }
  const parsed = parseParamPath(replay.override_param_path);
  if ('problem' in parsed) return fail(NAME, parsed.problem, `fix replay_args.override_param_path in ${SIMULATION}`);
  const unresolved = selected.filter((r) => !resolveParamPath(decodeCall(r), parsed).ok);
  if (unresolved.length > 0) {
    return fail(
      NAME,
      `override_param_path "${parsed.text}" does not resolve in ${unresolved.length} of ${selected.length} recordings ` +
        `(first: ${display}:${unresolved[0]!.line})`,
      'run fluxloop run experiment to see the keys that exist, and fix replay_args.override_param_path',
    );
  }
  return ok(
    NAME,
    `${selected.length} recorded call${selected.length === 1 ? '' : 's'} in ${display}; ` +
      `override_param_path ${parsed.text} resolves in each`,
  );
}
