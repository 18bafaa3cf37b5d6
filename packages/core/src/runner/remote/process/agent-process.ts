import { type ChildProcess, spawn } from 'node:child_process';
import readline from 'node:readline';
import { type InputMessage, parseReply, type ReplyMessage } from './protocol.js';

export interface SpawnSpec {
  /** Resolved executable. */
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface ProcessEvents {
  onReply(message: ReplyMessage): void;
  /** A stderr line, or a stdout line that is not a protocol reply. */
  onLog(line: string): void;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process could not be started (ENOENT, EACCES). */
  spawnError?: NodeJS.ErrnoException;
}

const STDERR_TAIL_LINES = 20;
// After the process itself has exited, its output pipes normally close at once; a grandchild that escaped the
// process group could hold them open, and the runner must not wait for it forever.
const PIPE_DRAIN_MS = 2_000;
const POSIX = process.platform !== 'win32';

/**
 * One child process of a process target, in its own process group (POSIX) so that stopping it also stops whatever
 * it started: no grandchild outlives the run. stdout is read line by line as protocol replies and log lines.
 */
export class AgentProcess {
  readonly pid: number | undefined;
  /** Resolves once the process has exited and its output has been read to the end. */
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly stderrLines: string[] = [];
  private exit: ProcessExit | undefined;

  constructor(spec: SpawnSpec, events: ProcessEvents) {
    this.child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: POSIX,
      windowsHide: true,
    });
    this.pid = this.child.pid;
    // A process that exits without reading its input makes our writes fail with EPIPE: that is its exit to
    // report, not an error of the runner.
    this.child.stdin!.on('error', () => {});
    readline.createInterface({ input: this.child.stdout!, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      const reply = parseReply(line);
      if (reply) events.onReply(reply);
      else events.onLog(line);
    });
    readline.createInterface({ input: this.child.stderr!, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      this.stderrLines.push(line);
      if (this.stderrLines.length > STDERR_TAIL_LINES) this.stderrLines.shift();
      events.onLog(line);
    });
    this.exited = new Promise<ProcessExit>((resolve) => {
      this.child.once('error', (err: NodeJS.ErrnoException) => {
        if (this.child.pid === undefined) {
          this.exit = { code: null, signal: null, spawnError: err };
          resolve(this.exit);
        }
      });
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        // Whatever the process left running in its group goes with it.
        this.signalGroup('SIGKILL');
        const drained = setTimeout(() => {
          this.child.stdout?.destroy();
          this.child.stderr?.destroy();
        }, PIPE_DRAIN_MS);
        this.child.once('close', () => {
          clearTimeout(drained);
          resolve(this.exit!);
        });
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** The last lines of stderr, for the message of a run the process failed. */
  stderrTail(): string[] {
    return [...this.stderrLines];
  }

  send(message: InputMessage): void {
    if (this.running && this.child.stdin!.writable) this.child.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  /** Closes stdin: the signal for a well-behaved process to flush its spans and exit. */
  endInput(): void {
    if (!this.child.stdin!.writableEnded) this.child.stdin!.end();
  }

  /** Waits up to `flushMs` for the process to exit by itself after its input ended, then stops it. */
  async retire(flushMs: number, killGraceMs: number): Promise<ProcessExit> {
    this.endInput();
    if (await this.exitsWithin(flushMs)) return this.exited;
    return this.stop(killGraceMs);
  }

  /** SIGTERM to the process group, SIGKILL if it is still there after `graceMs`; resolves once it has exited. */
  async stop(graceMs: number): Promise<ProcessExit> {
    if (!this.running) return this.exited;
    this.signalGroup('SIGTERM');
    if (!(await this.exitsWithin(graceMs))) this.signalGroup('SIGKILL');
    return this.exited;
  }

  /** Immediate SIGKILL of the group, for the runner's own exit (synchronous, nothing can be awaited there). */
  killNow(): void {
    if (this.running) this.signalGroup('SIGKILL');
  }

  private async exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const exited = this.exited.then(() => true as const);
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      // A negative pid signals the whole process group the detached child leads.
      process.kill(POSIX ? -this.pid : this.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}
