import { UserError } from '../../../errors.js';
import type { RunContext } from '../../types.js';
import { abortReason, RemoteRunError } from '../run-error.js';
import { AgentProcess, type ProcessEvents, type SpawnSpec } from './agent-process.js';
import type { InputMessage } from './protocol.js';
import type { RunSession } from './run-session.js';

/** What the per_run and persistent strategies share: how to start a process, and the target's lifetime. */
export interface ProcessRuntime {
  /** Starts the configured command, with `extraEnv` over the target's environment. */
  start(extraEnv: Record<string, string>, events: ProcessEvents): AgentProcess;
  processes: LiveProcesses;
  scrub(text: string): string;
  /** Aborted by the target's close(). */
  closing: AbortSignal;
  flushGraceMs: number;
  killGraceMs: number;
  /** The command as configured and the key it came from, for messages. */
  command: string;
  where: string;
}

export function startProcess(spec: SpawnSpec, extraEnv: Record<string, string>, events: ProcessEvents): AgentProcess {
  return new AgentProcess({ ...spec, env: { ...spec.env, ...extraEnv } }, events);
}

export function inputMessage(input: unknown, ctx: RunContext): InputMessage {
  return {
    type: 'input',
    id: ctx.runId,
    input: input ?? null,
    persona: ctx.persona,
    iteration: ctx.iteration,
    traceparent: ctx.traceparent,
  };
}

/** Settles the run when its process ends first: a start failure names the command, an exit gives code and stderr. */
export function failOnExit(proc: AgentProcess, session: () => RunSession | undefined, rt: ProcessRuntime): void {
  void proc.exited.then((exit) => {
    const current = session();
    if (!current) return;
    if (exit.spawnError) {
      current.fail(new UserError(`${rt.where}: cannot start "${rt.command}": ${exit.spawnError.message}`));
    } else current.processExited(exit, proc.stderrTail());
  });
}

/**
 * Fails the run when its signal fires or the target closes; returns the combined signal and a function that stops
 * listening (call it once the run has settled).
 */
export function failOnAbort(
  session: RunSession,
  ctx: RunContext,
  rt: ProcessRuntime,
): { signal: AbortSignal; release(): void } {
  const signal = AbortSignal.any([ctx.signal, rt.closing]);
  const stop = () =>
    session.fail(ctx.signal.aborted ? abortReason(ctx.signal) : new RemoteRunError('the target was closed'));
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  return { signal, release: () => signal.removeEventListener('abort', stop) };
}

/**
 * The target's child processes that are still alive, and the stopping of them under way. While any is alive, an
 * `exit` listener kills their process groups, so even a runner that exits abruptly leaves no orphan behind.
 */
export class LiveProcesses {
  private readonly live = new Set<AgentProcess>();
  /** Processes being retired or stopped, and the promise of that ending. */
  private readonly ending = new Map<AgentProcess, Promise<unknown>>();
  private readonly killAll = () => {
    for (const proc of this.live) proc.killNow();
  };

  add(proc: AgentProcess): void {
    if (this.live.size === 0) process.on('exit', this.killAll);
    this.live.add(proc);
    void proc.exited.then(() => {
      this.live.delete(proc);
      if (this.live.size === 0) process.off('exit', this.killAll);
    });
  }

  /** Retires or stops a process; close() waits for it. A process already on its way out keeps its first ending. */
  end(proc: AgentProcess, how: (proc: AgentProcess) => Promise<unknown>): void {
    if (this.ending.has(proc)) return;
    const ending = how(proc).finally(() => this.ending.delete(proc));
    this.ending.set(proc, ending);
  }

  /**
   * Stops every process that is not already on its way out (those keep their flush grace) and waits until all of
   * them have exited.
   */
  async stopAll(killGraceMs: number): Promise<void> {
    for (;;) {
      for (const proc of this.live) this.end(proc, (p) => p.stop(killGraceMs));
      if (this.ending.size === 0) return;
      await Promise.allSettled([...this.ending.values()]);
    }
  }
}
