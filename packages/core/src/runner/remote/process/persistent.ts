import type { RunContext } from '../../types.js';
import type { RunLogSink } from '../run-error.js';
import type { AgentProcess } from './agent-process.js';
import { RunSession } from './run-session.js';
import { failOnAbort, failOnExit, inputMessage, type ProcessRuntime } from './runtime.js';

/**
 * persistent mode: long-lived processes, each serving one run at a time, so the pool grows to the number of runs
 * in flight (the experiment's concurrency) and no further. Replies are matched to the run by id. A process that
 * dies fails the run it was serving and is replaced by a new one for the next run; an aborted run's process is
 * stopped (it may still be working on the run) and replaced the same way.
 */
export class PersistentPool {
  private idle: AgentProcess[] = [];
  private readonly sessions = new Map<AgentProcess, RunSession>();

  constructor(private readonly rt: ProcessRuntime) {}

  async invoke(input: unknown, ctx: RunContext & RunLogSink): Promise<unknown> {
    const proc = this.acquire();
    const session = new RunSession(ctx, this.rt.scrub);
    this.sessions.set(proc, session);
    const abort = failOnAbort(session, ctx, this.rt);
    proc.send(inputMessage(input, ctx));
    try {
      return await session.output;
    } finally {
      abort.release();
      this.sessions.delete(proc);
      this.release(proc, abort.signal.aborted);
    }
  }

  /** Idle processes get their stdin closed and flushGraceMs to flush and exit before they are stopped. */
  retireIdle(): void {
    for (const proc of this.idle.splice(0)) {
      this.rt.processes.end(proc, (p) => p.retire(this.rt.flushGraceMs, this.rt.killGraceMs));
    }
  }

  private acquire(): AgentProcess {
    for (let proc = this.idle.pop(); proc; proc = this.idle.pop()) {
      if (proc.running) return proc;
    }
    const proc = this.rt.start(
      {},
      {
        onReply: (message) => this.sessions.get(proc)?.reply(message),
        onLog: (line) => this.sessions.get(proc)?.line(line),
      },
    );
    this.rt.processes.add(proc);
    failOnExit(proc, () => this.sessions.get(proc), this.rt);
    void proc.exited.then(() => {
      this.idle = this.idle.filter((p) => p !== proc);
    });
    return proc;
  }

  private release(proc: AgentProcess, aborted: boolean): void {
    if (aborted) this.rt.processes.end(proc, (p) => p.stop(this.rt.killGraceMs));
    else if (this.rt.closing.aborted)
      this.rt.processes.end(proc, (p) => p.retire(this.rt.flushGraceMs, this.rt.killGraceMs));
    else if (proc.running) this.idle.push(proc);
  }
}
