import type { RunContext } from '../../types.js';
import type { RunLogSink } from '../run-error.js';
import { RunSession } from './run-session.js';
import { failOnAbort, failOnExit, inputMessage, type ProcessRuntime } from './runtime.js';

/**
 * per_run mode: a fresh process for every run, with the run's TRACEPARENT in its environment. The run ends with
 * the final or error reply; then stdin is closed and the process has flushGraceMs to flush its spans and exit
 * before it is stopped. An aborted run's process is stopped at once.
 */
export async function invokePerRun(rt: ProcessRuntime, input: unknown, ctx: RunContext & RunLogSink): Promise<unknown> {
  const session = new RunSession(ctx, rt.scrub);
  const proc = rt.start(
    { TRACEPARENT: ctx.traceparent },
    { onReply: (message) => session.reply(message), onLog: (line) => session.line(line) },
  );
  rt.processes.add(proc);
  failOnExit(proc, () => session, rt);
  const abort = failOnAbort(session, ctx, rt);
  proc.send(inputMessage(input, ctx));
  try {
    return await session.output;
  } finally {
    abort.release();
    rt.processes.end(proc, (p) =>
      abort.signal.aborted ? p.stop(rt.killGraceMs) : p.retire(rt.flushGraceMs, rt.killGraceMs),
    );
  }
}
