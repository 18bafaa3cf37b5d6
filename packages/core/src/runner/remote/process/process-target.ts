import type { ProcessTarget } from '../../../project/types.js';
import { configWhere } from '../../../project/where.js';
import type { Target, TargetEnvironment } from '../../types.js';
import { RemoteRunError } from '../run-error.js';
import { SecretScrubber } from '../secrets.js';
import { childEnvironment } from './child-env.js';
import { resolveCommand, resolveWorkingDirectory } from './command.js';
import { invokePerRun } from './per-run.js';
import { PersistentPool } from './persistent.js';
import { LiveProcesses, type ProcessRuntime, startProcess } from './runtime.js';

export interface ProcessTargetOptions {
  /** How long a process whose stdin was closed may take to flush its spans and exit. Default 2 s. */
  flushGraceMs?: number;
  /** How long a process has between SIGTERM and SIGKILL. Default 2 s. */
  killGraceMs?: number;
}

/**
 * A subprocess speaking JSONL on stdin/stdout (docs/cli/targets.md), started per run or kept running per
 * concurrency slot. The command, its working directory and every ${NAME} of its env are checked here, before any
 * run. Its spans reach the run through OTEL_EXPORTER_OTLP_ENDPOINT (the experiment's receiver) and TRACEPARENT.
 */
export async function createProcessTarget(
  config: ProcessTarget,
  env: TargetEnvironment,
  options: ProcessTargetOptions = {},
): Promise<Target> {
  const where = (key: string) => configWhere(env.project, 'simulation', `runner.process.${key}`);
  const cwd = resolveWorkingDirectory(config.cwd, env.project.resolve, where('cwd'));
  const childEnv = childEnvironment(config, env.env, env.otlpEndpoint, env.project.configs.project.name, where);
  const file = resolveCommand(config.command, cwd, childEnv, where('command'));
  const scrubber = new SecretScrubber(childEnv);
  const closing = new AbortController();
  const rt: ProcessRuntime = {
    start: (extraEnv, events) => startProcess({ file, args: config.args, cwd, env: childEnv }, extraEnv, events),
    processes: new LiveProcesses(),
    scrub: (text) => scrubber.scrub(text),
    closing: closing.signal,
    flushGraceMs: options.flushGraceMs ?? 2_000,
    killGraceMs: options.killGraceMs ?? 2_000,
    command: config.command,
    where: where('command'),
  };
  const pool = config.mode === 'persistent' ? new PersistentPool(rt) : undefined;
  return {
    kind: 'process',
    description: [config.command, ...config.args].join(' '),
    remoteSpans: true,
    invoke(input, ctx) {
      if (closing.signal.aborted) return Promise.reject(new RemoteRunError('the target is closed'));
      return pool ? pool.invoke(input, ctx) : invokePerRun(rt, input, ctx);
    },
    async close() {
      closing.abort();
      pool?.retireIdle();
      await rt.processes.stopAll(rt.killGraceMs);
    },
  };
}
