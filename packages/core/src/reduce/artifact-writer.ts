import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACT_FILES, type ExperimentSummary, type TraceSummaryRecord } from '@fluxloop/contract';
import { JsonlFile } from './jsonl-file.js';

export interface ArtifactWriterOptions {
  /** Lines held in memory before they are written (the three files together). */
  maxPendingLines?: number;
  /** Longest a finished line waits before it is written, in ms. */
  flushIntervalMs?: number;
}

/**
 * Writes an experiment folder's files as the experiment goes: observations and traces as the runner finalizes
 * them, one trace_summary line per finished run, and summary.json at the end. Every flush writes observations,
 * then traces, then trace summaries, so at any moment a trace line's observations and a summary line's trace are
 * already on disk. Memory holds one batch at most, whatever the number of runs.
 */
export class ArtifactWriter {
  private readonly observationsFile: JsonlFile;
  private readonly tracesFile: JsonlFile;
  private readonly summariesFile: JsonlFile;
  private readonly maxPending: number;
  private readonly timer: NodeJS.Timeout;
  private failure: Error | undefined;

  constructor(
    readonly dir: string,
    options: ArtifactWriterOptions = {},
  ) {
    this.observationsFile = new JsonlFile(path.join(dir, ARTIFACT_FILES.observations));
    this.tracesFile = new JsonlFile(path.join(dir, ARTIFACT_FILES.traces));
    this.summariesFile = new JsonlFile(path.join(dir, ARTIFACT_FILES.traceSummary));
    this.maxPending = options.maxPendingLines ?? 2000;
    this.timer = setInterval(() => this.flushQuietly(), options.flushIntervalMs ?? 200);
    this.timer.unref();
  }

  observations(lines: string[]): void {
    this.observationsFile.pushAll(lines);
    this.maybeFlush();
  }

  trace(line: string): void {
    this.tracesFile.push(line);
    this.maybeFlush();
  }

  traceSummary(record: TraceSummaryRecord): void {
    this.summariesFile.push(JSON.stringify(record));
    this.maybeFlush();
  }

  /** Writes what is pending; throws the first write error seen so far (a timer's included). */
  flush(): void {
    if (this.failure) throw this.failure;
    try {
      this.observationsFile.flush();
      this.tracesFile.flush();
      this.summariesFile.flush();
    } catch (err) {
      this.failure = new Error(`cannot write the experiment's artifacts in ${this.dir}: ${(err as Error).message}`);
      throw this.failure;
    }
  }

  /** Writes summary.json (through a temporary file and a rename, so it is never seen half-written). */
  writeSummary(summary: ExperimentSummary): void {
    const file = path.join(this.dir, ARTIFACT_FILES.summary);
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(summary, null, 2)}\n`);
    fs.renameSync(temporary, file);
  }

  /** Flushes and closes the JSONL files. */
  close(): void {
    clearInterval(this.timer);
    try {
      this.flush();
    } finally {
      for (const file of [this.observationsFile, this.tracesFile, this.summariesFile]) {
        try {
          file.close();
        } catch {
          // The flush above already reported the write failure; closing is best effort.
        }
      }
    }
  }

  private maybeFlush(): void {
    const pending = this.observationsFile.pendingLines + this.tracesFile.pendingLines + this.summariesFile.pendingLines;
    if (pending >= this.maxPending) this.flush();
  }

  private flushQuietly(): void {
    try {
      this.flush();
    } catch {
      // Kept in `failure`; the next flush() or close() throws it to the orchestrator.
    }
  }
}
