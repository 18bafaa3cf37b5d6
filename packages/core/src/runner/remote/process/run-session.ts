import type { RunContext } from '../../types.js';
import { RemoteRunError, type RunLogSink } from '../run-error.js';
import type { ProcessExit } from './agent-process.js';
import type { ReplyMessage } from './protocol.js';

// The run's log is for --verbose and for the message of a failed run: its last lines are what matter.
const LOG_LINES_KEPT = 200;
const TAIL_IN_MESSAGE = 10;

/**
 * One run on one process: routes the process's replies and log lines to the run, and settles the run's promise
 * exactly once, on the final or error reply, on the process's exit, or when the run is failed from outside.
 */
export class RunSession {
  readonly output: Promise<unknown>;
  private readonly log: string[] = [];
  private settle!: { resolve(value: unknown): void; reject(error: Error): void };
  private done = false;
  /** The final or error reply has arrived; the run settles on the next turn of the event loop. */
  private answered = false;

  constructor(
    private readonly ctx: RunContext & RunLogSink,
    private readonly scrub: (text: string) => string,
  ) {
    this.output = new Promise<unknown>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // The orchestrator may stop listening to a run it gave up on; a later rejection must not go unhandled.
    this.output.catch(() => {});
  }

  get settled(): boolean {
    return this.done;
  }

  reply(message: ReplyMessage): void {
    if (this.done || this.answered) return;
    if (message.id !== this.ctx.runId) {
      this.line(`(ignored a ${message.type} message for id "${message.id}": this run's id is "${this.ctx.runId}")`);
      return;
    }
    if (message.type === 'delta') this.ctx.onDelta?.(message.text);
    else if (message.type === 'final') this.answer(() => this.settle.resolve(message.output));
    else
      this.answer(() =>
        this.settle.reject(new RemoteRunError(this.withLogTail(this.scrub(message.message)), this.log)),
      );
  }

  /**
   * Ends the run with its reply on the next turn of the event loop: stderr is another pipe, and the lines the
   * process wrote to it just before replying are read in the same turn as the reply, sometimes after it. They are
   * the run's, not an idle process's.
   */
  private answer(settle: () => void): void {
    this.answered = true;
    setImmediate(() => this.finish(settle));
  }

  /** The run's last log lines after the message: why a run failed is often in what the agent logged just before. */
  private withLogTail(message: string): string {
    const tail = this.log.slice(-TAIL_IN_MESSAGE);
    return tail.length > 0 ? `${message}; last log lines:\n${tail.map((l) => `  ${l}`).join('\n')}` : message;
  }

  line(text: string): void {
    const clean = this.scrub(text);
    this.log.push(clean);
    if (this.log.length > LOG_LINES_KEPT) this.log.shift();
    if (!this.done) this.ctx.onLog?.(clean);
  }

  /** The process ended while the run waited for its answer. */
  processExited(exit: ProcessExit, stderrTail: string[]): void {
    if (this.done || this.answered) return;
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const tail = stderrTail.slice(-TAIL_IN_MESSAGE).map((l) => `  ${this.scrub(l)}`);
    const stderr = tail.length > 0 ? `; last stderr lines:\n${tail.join('\n')}` : ' (nothing on stderr)';
    this.fail(new RemoteRunError(`the process ${how} before it answered run ${this.ctx.runId}${stderr}`, this.log));
  }

  fail(error: Error): void {
    if (!this.answered) this.finish(() => this.settle.reject(error));
  }

  private finish(settle: () => void): void {
    if (this.done) return;
    this.done = true;
    settle();
  }
}
