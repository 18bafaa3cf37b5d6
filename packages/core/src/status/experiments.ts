import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACT_FILES, type ExperimentSummary } from '@fluxloop/contract';
import { validate } from '@fluxloop/contract/validate';
import { countLines } from './count-lines.js';
import type { ExperimentEntry, ExperimentsStatus } from './types.js';

type Scanned =
  | { id: string; time: number; summary: ExperimentSummary }
  | { id: string; time: number; reason: string; folder: string };

/**
 * The newest `limit` experiment folders under `directory`, newest first by summary.json's started_at (the folder's
 * creation time for folders without a valid summary.json), folder name breaking ties. Nothing in a folder can
 * make this throw: whatever is wrong is the reason it is listed as incomplete.
 */
export async function listExperiments(directory: string, limit: number): Promise<Omit<ExperimentsStatus, 'directory'>> {
  let folders: string[];
  try {
    folders = fs
      .readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { total: 0, recent: [] };
    throw err;
  }
  const scanned = folders.map((id) => scan(path.join(directory, id), id));
  scanned.sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const recent = await Promise.all(scanned.slice(0, limit).map(toEntry));
  return { total: folders.length, recent };
}

function scan(folder: string, id: string): Scanned {
  const folderTime = () => {
    const stat = fs.statSync(folder);
    return stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.mtimeMs;
  };
  let text: string;
  try {
    text = fs.readFileSync(path.join(folder, ARTIFACT_FILES.summary), 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no summary.json yet (running, or stopped before the end)'
        : `cannot read summary.json: ${(err as Error).message}`;
    return { id, time: folderTime(), reason, folder };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { id, time: folderTime(), reason: `summary.json is not JSON: ${(err as Error).message}`, folder };
  }
  const result = validate('summary', value);
  if (!result.valid) {
    return { id, time: folderTime(), reason: `summary.json does not match the contract: ${result.errors[0]}`, folder };
  }
  const summary = value as ExperimentSummary;
  return { id, time: Date.parse(summary.started_at), summary };
}

async function toEntry(item: Scanned): Promise<ExperimentEntry> {
  if ('summary' in item) {
    const { summary } = item;
    const { results } = summary;
    return {
      id: item.id,
      name: summary.name,
      status: summary.status,
      started_at: summary.started_at,
      finished_at: summary.finished_at,
      runs: results.total_runs,
      successful: results.successful,
      failed: results.failed,
      success_rate: results.success_rate,
      p50_ms: results.duration.p50_ms,
      p95_ms: results.duration.p95_ms,
      token_usage: results.token_usage,
    };
  }
  const traceSummary = path.join(item.folder, ARTIFACT_FILES.traceSummary);
  const runs = fs.existsSync(traceSummary) ? await countLines(traceSummary) : 0;
  return {
    id: item.id,
    status: 'incomplete',
    reason: item.reason,
    runs_recorded: runs,
    started_at: new Date(item.time).toISOString(),
  };
}
