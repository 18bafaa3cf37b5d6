import { errorMessage } from '../diagnostics.js';
import type { Outcome, Transport } from './http-transport.js';
import type { Spool } from './spool.js';

export interface ResendContext {
  spool: Spool;
  transport: Transport;
  /** Sends the next live batch, if one waits; its outcome kind, or undefined when none did. */
  sendOneLive(): Promise<Outcome['kind'] | undefined>;
  resent(): void;
  rejected(line: string, outcome: { status: number; text: string }): void;
  unauthorized(status: number): void;
  warn(key: string, message: string): void;
}

/**
 * Re-sends spool files, one claimed file at a time, until none is left ('empty') or delivery fails
 * ('stopped': the unsent lines are back in the spool). Live batches keep flowing meanwhile: one goes
 * before each spool line, so a large spool never holds up fresh records (or a flush waiting for them).
 */
export async function resendSpool(ctx: ResendContext): Promise<'empty' | 'stopped'> {
  for (;;) {
    let claimed: string | undefined;
    try {
      claimed = ctx.spool.claimNext();
    } catch (err) {
      ctx.warn('http-storage:resend', `could not read the spool directory ${ctx.spool.dir}: ${errorMessage(err)}`);
      return 'stopped';
    }
    if (claimed === undefined) return 'empty';
    if (!(await sendClaimed(ctx, claimed))) return 'stopped';
  }
}

/** Sends a claimed file's lines in order; true when all went and the file is gone. */
async function sendClaimed(ctx: ResendContext, claimed: string): Promise<boolean> {
  const lines = ctx.spool.lines(claimed);
  let sent = 0;
  try {
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const live = await ctx.sendOneLive();
      // The first line is a probe: while the collector is still down, one attempt tells, and the timer
      // tries again later instead of running a full backoff sequence every resendIntervalMs.
      const outcome: Outcome =
        live === undefined || live === 'delivered' || live === 'rejected'
          ? await ctx.transport.deliver(next.value, sent === 0 ? 1 : undefined)
          : { kind: 'aborted' };
      if (outcome.kind === 'delivered') ctx.resent();
      else if (outcome.kind === 'rejected') ctx.rejected(next.value, outcome);
      else {
        if (outcome.kind === 'unauthorized') ctx.unauthorized(outcome.status);
        if (sent === 0) {
          // Nothing went yet: hand the file back as it is rather than copying it.
          await lines.return(undefined);
          ctx.spool.unclaim(claimed);
        } else await ctx.spool.writeBack(claimed, next.value, lines);
        return false;
      }
      sent++;
    }
    ctx.spool.remove(claimed);
    return true;
  } catch (err) {
    await lines.return(undefined).catch(() => undefined);
    ctx.warn('http-storage:resend', `could not re-send spool file ${claimed}: ${errorMessage(err)}`);
    try {
      ctx.spool.unclaim(claimed); // lines already sent go again; their batch_ids make that harmless
    } catch {
      // Left claimed under our pid: another process reclaims it once this one has exited.
    }
    return false;
  }
}
