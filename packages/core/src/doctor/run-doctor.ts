import { checkConfigs, checkInputs, checkProjectFound } from './config-checks.js';
import { checkCollector, checkLlm } from './connectivity-checks.js';
import { checkNode, checkPackages, checkProjectSdk } from './environment-checks.js';
import { seconds } from './http-probe.js';
import { inspectProject } from './inspect-project.js';
import { checkReplay } from './replay-checks.js';
import { checkTarget } from './target-checks.js';
import { type CheckResult, type DoctorOptions, type DoctorReport, type DoctorSettings, fail } from './types.js';

const DEFAULT_FETCH_TIMEOUT_MS = 5000;
const DEFAULT_IMPORT_TIMEOUT_MS = 20_000;

/**
 * Runs every check at once and returns the results in a fixed order. Each check has its own time limit, and a
 * check that throws is reported as failed (a bug in the doctor must not hide the other findings).
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const settings: DoctorSettings = {
    env: options.env,
    fetchTimeoutMs: options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
    importTimeoutMs: options.importTimeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS,
    nodeVersion: options.nodeVersion ?? process.versions.node,
    ...(options.cliVersion ? { cliVersion: options.cliVersion } : {}),
  };
  const inspection = inspectProject({
    cwd: options.cwd,
    env: options.env,
    ...(options.projectDir !== undefined ? { projectDir: options.projectDir } : {}),
  });
  const root = inspection.found ? inspection.root : undefined;
  // Past the checks' own limits (each request, the import), a check that still has not finished is a bug.
  const limit = Math.max(settings.fetchTimeoutMs, settings.importTimeoutMs) + 5000;
  const guarded = (name: string, check: () => CheckResult | Promise<CheckResult>) => guard(name, check, limit);
  const groups = await Promise.all([
    guarded('node', () => checkNode(settings)),
    guarded('packages', () => checkPackages(settings, root)),
    guarded('project', () => checkProjectFound(inspection)),
    guarded('project sdk', () => checkProjectSdk(root)),
    Promise.resolve(checkConfigs(inspection)),
    guarded('inputs', () => checkInputs(inspection)),
    guarded('target', () => checkTarget(inspection, settings)),
    guarded('replay', () => checkReplay(inspection)),
    guarded('llm provider', () => checkLlm(inspection, settings)),
    guarded('collector', () => checkCollector(inspection, settings)),
  ]);
  const checks = groups.flat();
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

async function guard(
  name: string,
  check: () => CheckResult | Promise<CheckResult>,
  limitMs: number,
): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve(fail(name, `did not finish within ${seconds(limitMs)}`, 'report this as a FluxLoop bug')),
      limitMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch (err) {
    return fail(name, `the check itself failed: ${(err as Error)?.message ?? err}`, 'report this as a FluxLoop bug');
  } finally {
    clearTimeout(timer);
  }
}
