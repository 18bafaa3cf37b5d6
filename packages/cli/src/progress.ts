import type { ExperimentProgress, ExperimentReporter } from '@fluxloop/core';
import type { Io } from './io.js';
import { formatDuration, runLine, startedText } from './render-run.js';
import type { Style } from './style.js';

export interface ProgressState extends ExperimentProgress {
  elapsedMs: number;
}

const CLEAR_LINE = '\r\u001b[2K';

/** `[████░░░░] 45/100  2 failed  12.3 runs/s  ETA 4.5 s`, fitted to `columns`. */
export function progressBar(state: ProgressState, columns: number, style: Style): string {
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? state.done / seconds : 0;
  const eta = rate > 0 ? formatDuration(((state.total - state.done) / rate) * 1000) : '…';
  const failed = `${state.failed} failed`;
  const info = ` ${state.done}/${state.total}  ${failed}  ${rate.toFixed(1)} runs/s  ETA ${eta}`;
  const width = Math.max(10, Math.min(40, columns - info.length - 3));
  const filled = state.total > 0 ? Math.min(width, Math.round((width * state.done) / state.total)) : width;
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
  return `${bar}${state.failed > 0 ? info.replace(failed, style.red(failed)) : info}`;
}

/** Plain progress for logs: `40/100 runs done, 2 failed (12.3 runs/s)`. */
export function progressLine(state: ProgressState): string {
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? state.done / seconds : 0;
  return `${state.done}/${state.total} runs done, ${state.failed} failed (${rate.toFixed(1)} runs/s)\n`;
}

export interface RunProgressOptions {
  verbose: boolean;
  /** Milliseconds clock; injected by tests. */
  now?: () => number;
  /** Least time between two redraws of the bar. */
  redrawMs?: number;
}

/**
 * Renders an experiment's progress on stderr. On a terminal: a bar redrawn in place (at most every redrawMs), run
 * lines above it with --verbose. Otherwise plain lines: one per finished run with --verbose, else one at every
 * tenth of the runs (at most one a second).
 */
export class RunProgress {
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly redrawMs: number;
  private startedAt = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastLine = Number.NEGATIVE_INFINITY;
  private barShown = false;
  private state: ProgressState = { done: 0, total: 0, failed: 0, elapsedMs: 0 };

  constructor(
    private readonly io: Io,
    private readonly style: Style,
    private readonly options: RunProgressOptions,
  ) {
    this.tty = io.errIsTTY === true;
    this.now = options.now ?? (() => performance.now());
    this.redrawMs = options.redrawMs ?? 100;
  }

  readonly reporter: ExperimentReporter = {
    started: (info) => {
      this.startedAt = this.now();
      this.state = { done: 0, total: info.totalRuns, failed: 0, elapsedMs: 0 };
      this.io.err(startedText(info, this.io.cwd, this.style));
      if (this.tty) this.draw(true);
    },
    runFinished: (run, progress) => {
      this.state = { ...progress, elapsedMs: this.now() - this.startedAt };
      if (this.tty) {
        if (this.options.verbose) this.above(runLine(run, this.style));
        this.draw(progress.done === progress.total);
      } else if (this.options.verbose) {
        this.io.err(runLine(run, this.style));
      } else if (progress.done % Math.max(1, Math.ceil(progress.total / 10)) === 0) {
        // Logs of short experiments stay short: at most one line a second.
        const now = this.now();
        if (now - this.lastLine >= 1000) {
          this.lastLine = now;
          this.io.err(progressLine(this.state));
        }
      }
    },
    runLog: ({ runId, line }) => {
      if (this.options.verbose) this.above(this.style.dim(`  ${runId} │ ${line}\n`));
    },
    stopping: ({ inFlight, graceMs }) => {
      this.above(
        this.style.yellow(
          `Interrupted: no new runs; ${inFlight} in flight may finish within ${formatDuration(graceMs)}. ` +
            'Press Ctrl-C again to exit at once.\n',
        ),
      );
    },
    warn: (message) => this.above(`${this.style.yellow('warning:')} ${message}\n`),
  };

  /** Removes the bar, so that the summary starts on a clean line. */
  finish(): void {
    if (this.barShown) this.io.err(CLEAR_LINE);
    this.barShown = false;
  }

  /** Writes a line above the bar (or just the line when there is no bar). */
  private above(text: string): void {
    if (!this.barShown) {
      this.io.err(text);
      return;
    }
    this.io.err(CLEAR_LINE + text);
    this.draw(true);
  }

  private draw(force: boolean): void {
    const now = this.now();
    if (!force && now - this.lastDraw < this.redrawMs) return;
    this.lastDraw = now;
    this.barShown = true;
    this.io.err(CLEAR_LINE + progressBar(this.state, this.io.columns ?? 80, this.style));
  }
}
