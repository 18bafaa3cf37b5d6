import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { readInputEntries } from '../project/entries.js';
import { CONFIG_FILES, type ConfigName } from '../project/types.js';
import { asProject, type ProjectInspection } from './inspect-project.js';
import { type CheckResult, fail, ok, skip, warn } from './types.js';

export function checkProjectFound(inspection: ProjectInspection): CheckResult {
  if (!inspection.found) {
    return fail(
      'project',
      inspection.message,
      'create one with fluxloop init project <name>, or point at one with --project DIR',
    );
  }
  const name = inspection.configs.project?.name;
  return ok('project', name ? `${name} at ${inspection.root}` : inspection.root);
}

/** `5:7: input_generation.strategies[1]: ...`: the row already names the file. */
function issueText(issue: ConfigIssue): string {
  const where = issue.line ? `${issue.line}:${issue.column ?? 1}: ` : '';
  return `${where}${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

const MISSING: Record<ConfigName, [CheckResult['status'], string]> = {
  project: ['fail', 'missing'],
  input: ['warn', 'missing: experiments have no personas or base inputs'],
  simulation: ['warn', 'missing: fluxloop run experiment needs it (runner.target)'],
  evaluation: ['skip', 'not present (optional until evaluation is built)'],
};

/** One row per config file: valid, or every problem loadProject found in it. */
export function checkConfigs(inspection: ProjectInspection): CheckResult[] {
  return (Object.entries(CONFIG_FILES) as [ConfigName, string][]).map(([name, file]) => {
    if (!inspection.found) return skip(file, 'no project');
    const issues = inspection.issues
      .filter((issue) => issue.file === file)
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    if (issues.length) {
      const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
      return fail(
        file,
        `${count}: ${issues.map(issueText).join('; ')}`,
        `fix ${file}; the schema named on its first line lists the keys and values allowed`,
      );
    }
    if (inspection.present.includes(name)) return ok(file, 'valid');
    const [status, detail] = MISSING[name];
    if (status === 'skip') return skip(file, detail);
    return {
      name: file,
      status,
      detail,
      hint: 'fluxloop init project writes one (run it in an empty folder to see it)',
    };
  });
}

/** The experiment's input entries exist and are readable, and a generated file is not older than its config. */
export function checkInputs(inspection: ProjectInspection): CheckResult {
  const name = 'inputs';
  if (!inspection.found) return skip(name, 'no project');
  if (inspection.present.includes('input') && !inspection.configs.input) {
    return skip(name, `${CONFIG_FILES.input} is invalid (see above)`);
  }
  let result: ReturnType<typeof readInputEntries>;
  try {
    result = readInputEntries(asProject(inspection));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return fail(
      name,
      err.issues.map((i) => `${i.file}: ${issueText(i)}`).join('; '),
      'add base_inputs to configs/input.yaml, or run fluxloop generate inputs',
    );
  }
  const count = `${result.entries.length} ${result.entries.length === 1 ? 'entry' : 'entries'}`;
  if (result.source.kind === 'base_inputs') {
    return ok(name, `${count}: base_inputs x personas (no generated inputs file yet)`);
  }
  const file = path.relative(inspection.root, result.source.file);
  if (isOlder(result.source.file, path.join(inspection.root, CONFIG_FILES.input))) {
    return warn(
      name,
      `${count} from ${file}, which is older than ${CONFIG_FILES.input}`,
      'run fluxloop generate inputs again if the personas or base inputs changed',
    );
  }
  return ok(name, `${count} from ${file}`);
}

function isOlder(file: string, than: string): boolean {
  try {
    return fs.statSync(file).mtimeMs < fs.statSync(than).mtimeMs;
  } catch {
    return false;
  }
}
