import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, formatIssue, UserError } from '../errors.js';
import { SchemaChecker } from '../project/schema-check.js';
import { CONFIG_FILES } from '../project/types.js';
import { parseYamlSource } from '../project/yaml-source.js';
import { readBoolean } from '../status/recordings.js';
import {
  configPath,
  fileMismatch,
  projectRoot,
  RECORD_ARGS,
  RECORDING_FILE,
  readText,
  replaySettings,
  sdkRecordingFile,
} from './common.js';
import { readDotenvValues, setDotenvValue } from './dotenv-edit.js';
import { candidatePaths, isParamPath, type RecordedCall, resolvesIn, scanRecording } from './recording-scan.js';
import type {
  DisableRecordingOptions,
  EnableRecordingOptions,
  OverridePathSuggestions,
  RecordEditResult,
  ReplaySettings,
  SettingChange,
} from './types.js';
import { writeFileAtomic } from './write-atomic.js';
import { type InsertPosition, setYamlValue } from './yaml-edit.js';

const SIMULATION = CONFIG_FILES.simulation;

type DotenvSetting = { key: string; value: string; same?: (current: string) => boolean };
type YamlSetting = { key: string; value: boolean | string; position: InsertPosition };

const meansTrue = (value: string) => readBoolean(value) === true;
const meansFalse = (value: string) => readBoolean(value) === false;

/**
 * `fluxloop record enable`: FLUXLOOP_RECORD_ARGS=true in .env (created when missing) and replay_args.enabled:
 * true in configs/simulation.yaml, plus the recording file and override_param_path when given. Both files are
 * edited in memory first and written only when both edits succeeded.
 */
export async function enableRecording(options: EnableRecordingOptions): Promise<RecordEditResult> {
  const root = projectRoot(options);
  const { overrideParamPath } = options;
  if (overrideParamPath !== undefined && !isParamPath(overrideParamPath)) {
    throw new UserError(
      `override_param_path "${overrideParamPath}" is not a path: write dot-separated names and indexes, such as ` +
        'kwargs.message, args.0 or args.0.text',
    );
  }
  let recordingFile: string | undefined;
  if (options.recordingFile !== undefined) {
    const absolute = path.resolve(options.cwd, options.recordingFile);
    if (options.recordingFile.trim() === '' || fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UserError(`recording file "${options.recordingFile}" must name a file, such as recordings/calls.jsonl`);
    }
    recordingFile = configPath(root, absolute);
  }
  const dotenv: DotenvSetting[] = [{ key: RECORD_ARGS, value: 'true', same: meansTrue }];
  const yaml: YamlSetting[] = [{ key: 'enabled', value: true, position: 'first' }];
  if (recordingFile !== undefined) {
    dotenv.push({ key: RECORDING_FILE, value: recordingFile });
    yaml.push({ key: 'recording_file', value: recordingFile, position: 'last' });
  }
  if (overrideParamPath !== undefined) {
    yaml.push({ key: 'override_param_path', value: overrideParamPath, position: 'last' });
  }
  const result = applySettings(root, dotenv, yaml);
  const replay = result.replay!;
  const real = options.env[RECORD_ARGS];
  if (real && readBoolean(real) !== true) {
    result.warnings.push(
      `${RECORD_ARGS}=${real} is set in the environment, and the environment wins over .env for the SDK: ` +
        'unset it (or set it to true) where your app starts, or nothing is recorded',
    );
  }
  const sdk = sdkRecordingFile(options.env, readDotenvValues(readText(path.join(root, '.env'))));
  result.records_to = sdk;
  result.warnings.push(...fileMismatch(root, sdk, replay.recording_file));
  result.warnings.push(...schemaWarnings(root));
  const { call, ...suggestions } = await suggest(root, replay);
  if (replay.override_param_path === null) result.suggestions = suggestions;
  else if (call && suggestions.from && !resolvesIn(call, replay.override_param_path)) {
    const { file, line } = suggestions.from;
    result.warnings.push(
      `override_param_path ${replay.override_param_path} does not resolve in the newest recording (${file}:${line}); ` +
        `its string values are at: ${suggestions.candidates.join(', ') || 'none'}`,
    );
  }
  return result;
}

/**
 * `fluxloop record disable`: FLUXLOOP_RECORD_ARGS=false in .env, and with disableReplay replay_args.enabled:
 * false in configs/simulation.yaml.
 */
export async function disableRecording(options: DisableRecordingOptions): Promise<RecordEditResult> {
  const root = projectRoot(options);
  const yaml: YamlSetting[] = options.disableReplay ? [{ key: 'enabled', value: false, position: 'first' }] : [];
  const result = applySettings(root, [{ key: RECORD_ARGS, value: 'false', same: meansFalse }], yaml);
  const real = options.env[RECORD_ARGS];
  if (real && readBoolean(real) !== false) {
    result.warnings.push(
      `${RECORD_ARGS}=${real} is set in the environment, and the environment wins over .env for the SDK: ` +
        'unset it where your app starts, or recording goes on',
    );
  }
  return result;
}

/** Plans every edit, then writes configs/simulation.yaml and .env (each atomically); nothing when a plan fails. */
function applySettings(root: string, dotenv: DotenvSetting[], yaml: YamlSetting[]): RecordEditResult {
  const envFile = path.join(root, '.env');
  const simulationFile = path.join(root, SIMULATION);
  const changes: SettingChange[] = [];
  const files: RecordEditResult['files'] = [];
  const envBefore = readText(envFile);
  let envText = envBefore ?? '';
  for (const setting of dotenv) {
    const edit = setDotenvValue(envText, setting.key, setting.value, setting.same ? { same: setting.same } : {});
    envText = edit.text;
    changes.push({ file: '.env', setting: setting.key, value: setting.value, ...changed(edit) });
  }
  const yamlBefore = readText(simulationFile);
  let yamlText = yamlBefore;
  if (yaml.length && yamlText === undefined) {
    throw new ConfigError(
      [{ file: SIMULATION, path: '', message: 'is missing: create it (fluxloop init project writes one)' }],
      `this command sets replay_args in ${SIMULATION}:`,
    );
  }
  for (const setting of yaml) {
    const edit = setYamlValue(yamlText!, SIMULATION, ['replay_args', setting.key], setting.value, setting.position);
    yamlText = edit.text;
    const name = `replay_args.${setting.key}`;
    changes.push({ file: SIMULATION, setting: name, value: String(setting.value), ...changed(edit) });
  }
  if (yaml.length) {
    if (yamlText !== yamlBefore) writeFileAtomic(simulationFile, yamlText!);
    files.push({ path: SIMULATION, action: yamlText === yamlBefore ? 'unchanged' : 'updated' });
  }
  if (envText !== envBefore) writeFileAtomic(envFile, envText);
  files.push({
    path: '.env',
    action: envBefore === undefined ? 'created' : envText === envBefore ? 'unchanged' : 'updated',
  });
  let replay: ReplaySettings | null = null;
  if (yamlText !== undefined) {
    const source = parseYamlSource(yamlText, SIMULATION);
    if (source.issues.length === 0) replay = replaySettings(source.value);
  }
  return { root, changes, files, warnings: [], replay };
}

function changed(edit: { changed: boolean; previous: unknown }): Pick<SettingChange, 'previous' | 'changed'> {
  const { previous } = edit;
  const shown = previous === undefined || previous === null ? null : previous;
  return {
    previous: shown === null ? null : typeof shown === 'string' ? shown : JSON.stringify(shown),
    changed: edit.changed,
  };
}

/** The problems configs/simulation.yaml has after the edit (the edit itself is fine; they were there before). */
function schemaWarnings(root: string): string[] {
  const source = parseYamlSource(readText(path.join(root, SIMULATION)) ?? '', SIMULATION);
  const issues = source.issues.length ? source.issues : new SchemaChecker().check('simulation', source);
  return issues.map((issue) => `${formatIssue(issue)} (fluxloop doctor lists every problem)`);
}

/** override_param_path candidates from the newest recorded call of replay_args.function in the replay file. */
async function suggest(
  root: string,
  replay: ReplaySettings,
): Promise<OverridePathSuggestions & { call?: RecordedCall }> {
  const file = path.resolve(root, replay.recording_file);
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return { candidates: [], from: null };
  const scan = await scanRecording(file, replay.function ? { function: replay.function } : {});
  if (!scan.newest) return { candidates: [], from: null };
  const { call, line } = scan.newest;
  return {
    candidates: candidatePaths(call),
    from: { file: configPath(root, file), line, function: call.function, timestamp: call.timestamp },
    call,
  };
}
