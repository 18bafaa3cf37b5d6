/** ok: fine; warn: works but deserves a look; fail: something FluxLoop needs is broken; skip: not applicable here. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** Stable identifier of the check (`node`, `configs/input.yaml`, `target`, ...). */
  name: string;
  status: CheckStatus;
  /** One line saying what was found. */
  detail: string;
  /** What to do about it; present whenever status is not ok. */
  hint?: string;
}

export interface DoctorReport {
  /** True when no check failed (warnings and skips do not fail). */
  ok: boolean;
  checks: CheckResult[];
}

export interface DoctorOptions {
  /** Where the project is looked for (walking up), and the base of a relative projectDir. */
  cwd: string;
  /** `--project DIR`; default FLUXLOOP_PROJECT_DIR from env, else the walk up from cwd. */
  projectDir?: string;
  /** The real environment (the project's .env is read under it); never written. */
  env: Readonly<Record<string, string | undefined>>;
  /** Time limit of each network request (target, LLM base URL, collector). Default 5000 ms. */
  fetchTimeoutMs?: number;
  /** Time limit of importing the target module in a child process. Default 20000 ms. */
  importTimeoutMs?: number;
  /** Version of the CLI running the doctor, reported with the packages. */
  cliVersion?: string;
  /** Node.js version to judge; default this process's. */
  nodeVersion?: string;
}

/** Options with their defaults applied, as every check sees them. */
export interface DoctorSettings {
  env: Readonly<Record<string, string | undefined>>;
  fetchTimeoutMs: number;
  importTimeoutMs: number;
  cliVersion?: string;
  nodeVersion: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: 'ok', detail });
export const skip = (name: string, detail: string): CheckResult => ({ name, status: 'skip', detail });
export const warn = (name: string, detail: string, hint: string): CheckResult => ({
  name,
  status: 'warn',
  detail,
  hint,
});
export const fail = (name: string, detail: string, hint: string): CheckResult => ({
  name,
  status: 'fail',
  detail,
  hint,
});
