import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redactor } from '@fluxloop/sdk/capture';
import { ConfigError } from '../errors.js';
import { templateVariables } from '../project/env-template.js';
import { parseTargetSpec, type TargetSpec } from '../project/target-spec.js';
import type { HttpTarget, ProcessTarget, RunnerConfig } from '../project/types.js';
import { findCommand } from './find-command.js';
import { displayUrl, probeUrl, seconds } from './http-probe.js';
import type { ProjectInspection } from './inspect-project.js';
import { type ModuleProbe, probeModule } from './module-probe.js';
import { type CheckResult, type DoctorSettings, fail, ok, skip } from './types.js';

const NAME = 'target';
/** Placeholders a run fills in itself (configs/simulation.yaml runner.http.body); everything else is the env. */
const RUN_VALUES = new Set(['input', 'persona', 'iteration', 'run_id', 'experiment_id']);
const SIMULATION = 'configs/simulation.yaml';

type Found = Extract<ProjectInspection, { found: true }>;

export async function checkTarget(inspection: ProjectInspection, settings: DoctorSettings): Promise<CheckResult> {
  if (!inspection.found) return skip(NAME, 'no project');
  const simulation = inspection.configs.simulation;
  if (!simulation) {
    const why = inspection.present.includes('simulation') ? 'is invalid (see above)' : 'is missing';
    return skip(NAME, `${SIMULATION} ${why}`);
  }
  const runner = simulation.runner;
  if (runner.http) return checkHttpTarget(runner.http, inspection, settings);
  if (runner.process) return checkProcessTarget(runner.process, inspection);
  return checkModuleTarget(runner, inspection, settings);
}

async function checkModuleTarget(runner: RunnerConfig, inspection: Found, settings: DoctorSettings) {
  const target = runner.target!;
  let spec: TargetSpec;
  try {
    spec = parseTargetSpec(target);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return fail(NAME, err.issues[0]!.message, `fix runner.target in ${SIMULATION}`);
  }
  const isPath = spec.module.startsWith('.') || path.isAbsolute(spec.module);
  const file = inspection.resolve(spec.module);
  if (isPath && !fs.existsSync(file)) {
    return fail(
      NAME,
      `${target}: ${spec.module} not found (looked for ${file})`,
      `create it, or point runner.target in ${SIMULATION} at your agent's module`,
    );
  }
  const env: Record<string, string | undefined> = { ...inspection.env.vars, FLUXLOOP_ENABLED: 'false' };
  if (runner.tsconfig) env.TSX_TSCONFIG_PATH = inspection.resolve(runner.tsconfig);
  const probe = await probeModule({
    specifier: isPath ? pathToFileURL(file).href : spec.module,
    exportName: spec.exportName,
    ...(spec.method ? { method: spec.method } : {}),
    cwd: inspection.root,
    env,
    timeoutMs: settings.importTimeoutMs,
  });
  return judgeModule(target, spec, runner.factory, probe, settings);
}

/** What the child's findings mean for `runner.target` (and `runner.factory`). */
export function judgeModule(
  target: string,
  spec: TargetSpec,
  factory: string | undefined,
  probe: ModuleProbe,
  settings: Pick<DoctorSettings, 'importTimeoutMs'>,
): CheckResult {
  const redact = (text: string) => new Redactor().redactString(text.split('\n')[0]!.slice(0, 300));
  switch (probe.kind) {
    case 'timeout':
      return fail(
        NAME,
        `importing ${spec.module} did not finish within ${seconds(settings.importTimeoutMs)}`,
        'something at the top level of the module waits forever (a server, an await): move it into a function',
      );
    case 'crashed':
      return fail(NAME, `importing ${spec.module} failed: ${redact(probe.message)}`, `run npx tsx ${spec.module}`);
    case 'import-error':
      return fail(
        NAME,
        `importing ${spec.module} failed: ${redact(probe.message)}`,
        `run npx tsx ${spec.module} to see the whole error`,
      );
  }
  const exported = Object.keys(probe.exports);
  const available = exported.length ? `it exports ${exported.join(', ')}` : 'it exports nothing';
  const type = probe.exports[spec.exportName];
  if (type === undefined) {
    return fail(
      NAME,
      `${target}: ${spec.module} has no export ${spec.exportName}; ${available}`,
      `export the function, or point runner.target in ${SIMULATION} at one of its exports`,
    );
  }
  if (type !== 'function') {
    return fail(
      NAME,
      `${target}: ${spec.exportName} is ${article(type)}, not a function`,
      `runner.target must name a function (or Class.method); ${available}`,
    );
  }
  if (factory && probe.exports[factory] !== 'function') {
    const what = probe.exports[factory] === undefined ? 'is not exported' : `is ${article(probe.exports[factory]!)}`;
    return fail(NAME, `runner.factory ${factory} ${what}`, `export a function ${factory}() that returns the instance`);
  }
  if (spec.method && probe.methodType !== 'function') {
    if (factory) return ok(NAME, `${target}: ${spec.exportName} and factory ${factory} are functions`);
    return fail(
      NAME,
      `${target}: ${spec.exportName} has no method ${spec.method}`,
      `add ${spec.method}() to class ${spec.exportName}, or set runner.factory to a function returning the instance`,
    );
  }
  return ok(
    NAME,
    spec.method ? `${target}: ${spec.exportName}.prototype.${spec.method} is a function` : `${target} is a function`,
  );
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `${NAME}`s used in `value` (strings anywhere inside) that are not run values and are not set. */
function unsetVariables(value: unknown, env: Readonly<Record<string, string | undefined>>, out = new Set<string>()) {
  if (typeof value === 'string') {
    for (const name of templateVariables(value)) if (!RUN_VALUES.has(name) && env[name] === undefined) out.add(name);
  } else if (Array.isArray(value)) {
    for (const item of value) unsetVariables(item, env, out);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) unsetVariables(item, env, out);
  }
  return out;
}

async function checkHttpTarget(http: HttpTarget, inspection: Found, settings: DoctorSettings) {
  const env = inspection.env.vars;
  const shown = `${http.method} ${displayUrl(http.url)}`;
  const unset = [...unsetVariables({ url: http.url, headers: http.headers, body: http.body }, env)];
  const unsetText = unset.map((v) => `\${${v}}`).join(', ');
  const setHint = `set ${unset.join(', ')} in the project's .env or the environment`;
  if (unset.length && templateVariables(http.url).some((v) => unset.includes(v))) {
    return fail(NAME, `${shown}: uses ${unsetText}, not set`, setHint);
  }
  // The probe only asks whether the host answers; run values get a stand-in since no run is made.
  const url = http.url.replace(/\$\{(\w+)\}/g, (_m, name: string) => (RUN_VALUES.has(name) ? 'doctor' : env[name]!));
  const outcome = await probeUrl(url, { method: 'HEAD', timeoutMs: settings.fetchTimeoutMs });
  if (!outcome.answered) {
    return fail(NAME, `${shown} does not answer: ${outcome.error}`, 'start the server, or fix runner.http.url');
  }
  const answered = `${shown} answers (HTTP ${outcome.status} to HEAD)`;
  if (unset.length) return fail(NAME, `${answered}, but the request uses ${unsetText}, not set`, setHint);
  return ok(NAME, answered);
}

function checkProcessTarget(target: ProcessTarget, inspection: Found): CheckResult {
  const env = inspection.env.vars;
  const cwd = inspection.resolve(target.cwd ?? '.');
  const shown = [target.command, ...target.args].join(' ');
  if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) {
    return fail(NAME, `${shown}: its cwd ${cwd} is not a folder`, 'fix runner.process.cwd');
  }
  const unset = [...unsetVariables(target.env, env)];
  if (unset.length) {
    return fail(
      NAME,
      `${shown}: runner.process.env uses ${unset.map((v) => `\${${v}}`).join(', ')}, not set`,
      `set ${unset.join(', ')} in the project's .env or the environment`,
    );
  }
  const found = findCommand(target.command, cwd, env);
  if (!found.ok) return fail(NAME, `${shown}: ${found.problem}`, found.hint);
  return ok(NAME, `${shown}: ${target.command} is ${found.path}`);
}
