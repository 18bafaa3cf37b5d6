import fs from 'node:fs';
import path from 'node:path';
import { inspectProject } from '../doctor/inspect-project.js';
import { formatIssue, ProjectNotFoundError } from '../errors.js';
import { CONFIG_FILES } from '../project/types.js';
import { countLines } from '../status/count-lines.js';
import { recordingStatus } from '../status/recordings.js';
import type { RecordingFile } from '../status/types.js';
import { configPath, fileMismatch, RECORD_ARGS, readText, replaySettings, sdkRecordingFile } from './common.js';
import { readDotenvValues } from './dotenv-edit.js';
import { scanRecording } from './recording-scan.js';
import type { RecordingFileReport, RecordingReport, RecordProjectOptions } from './types.js';

/**
 * `fluxloop record status`: FLUXLOOP_RECORD_ARGS as .env and the real environment set it, replay_args, and every
 * recording file (under recordings/, the replay file and the file the SDK appends to) with its line count, the
 * functions recorded, the newest timestamp and the malformed lines. Every file is read as a stream.
 */
export async function getRecordingStatus(options: RecordProjectOptions): Promise<RecordingReport> {
  const inspection = inspectProject({
    cwd: options.cwd,
    env: options.env,
    ...(options.projectDir !== undefined ? { projectDir: options.projectDir } : {}),
  });
  if (!inspection.found) throw new ProjectNotFoundError(inspection.message);
  const { root } = inspection;
  const simulation = inspection.configs.simulation;
  const base = await recordingStatus(root, inspection.env, simulation?.replay_args);
  const dotenv = readDotenvValues(readText(path.join(root, '.env')));
  const sdk = sdkRecordingFile(options.env, dotenv);
  const sdkFile = path.resolve(root, sdk.path);
  const listed: RecordingFile[] = [...base.files];
  const sdkStat = fs.statSync(sdkFile, { throwIfNoEntry: false });
  if (sdkStat?.isFile() && !listed.some((f) => path.resolve(root, f.path) === sdkFile)) {
    listed.push({
      path: configPath(root, sdkFile),
      lines: await countLines(sdkFile),
      bytes: sdkStat.size,
      replay: false,
    });
  }
  const replay = simulation ? replaySettings(simulation) : null;
  const files: RecordingFileReport[] = await Promise.all(
    listed.map(async (file) => {
      const absolute = path.resolve(root, file.path);
      const { newest: _, ...content } = await scanRecording(absolute);
      return { ...file, sdk_writes: absolute === sdkFile, ...content };
    }),
  );
  const recordArgs = {
    ...base.record_args,
    dotenv: dotenv[RECORD_ARGS] ?? null,
    environment: options.env[RECORD_ARGS] ?? null,
  };

  const problems = inspection.issues.filter((issue) => issue.file === CONFIG_FILES.simulation).map(formatIssue);
  if (recordArgs.problem) {
    problems.push(`${RECORD_ARGS}=${recordArgs.value} (${recordArgs.source}): ${recordArgs.problem}`);
  }
  const warnings: string[] = [];
  if (recordArgs.environment !== null && recordArgs.dotenv !== null && recordArgs.environment !== recordArgs.dotenv) {
    warnings.push(
      `${RECORD_ARGS}=${recordArgs.environment} in the environment wins over ${RECORD_ARGS}=${recordArgs.dotenv} ` +
        'in .env for the SDK',
    );
  }
  if (!inspection.present.includes('simulation')) {
    warnings.push(`${CONFIG_FILES.simulation} is missing: replay is not configured`);
  }
  if (replay && (replay.enabled || recordArgs.enabled))
    warnings.push(...fileMismatch(root, sdk, replay.recording_file));
  if (replay?.enabled) {
    if (replay.override_param_path === null) {
      warnings.push(
        'replay is on but replay_args.override_param_path is not set: fluxloop run experiment needs it ' +
          '(fluxloop record enable --override-param-path PATH)',
      );
    }
    const replayFile = files.find((f) => f.replay);
    if (!replayFile || replayFile.records === 0) {
      warnings.push(`replay is on but ${replay.recording_file} holds no recordings yet`);
    }
  }
  for (const file of files) {
    if (file.malformed) {
      const s = file.malformed === 1 ? '' : 's';
      warnings.push(
        `${file.path}: ${file.malformed} malformed line${s} (the first is line ${file.first_malformed_line})`,
      );
    }
  }
  return { root, record_args: recordArgs, recording_file: sdk, replay, files, problems, warnings };
}
