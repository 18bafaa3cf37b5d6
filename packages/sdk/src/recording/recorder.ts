import fs from 'node:fs';
import path from 'node:path';
import type { Redactor } from '../capture/redaction.js';
import { errorMessage, type Reporter } from '../diagnostics.js';
import { recordingLine } from './call-shape.js';

/** What wrappers need to record a call (ActiveSdk.recorder). */
export interface CallRecorder {
  /** Appends the call's line; never throws, never changes the arguments. */
  record(name: string, args: readonly unknown[], paramNames?: readonly string[]): void;
}

/**
 * Appends one line per recorded call to the recording file. Each line is a single write(2) on a descriptor
 * opened with O_APPEND, so lines from concurrent calls, and from several processes recording into the same file,
 * never interleave, and a killed process leaves whole lines only. The write is synchronous: the arguments are
 * captured before the call can change them, and nothing is left in memory to lose at exit.
 */
export class FileCallRecorder implements CallRecorder {
  private fd: number | undefined;
  private failed = false;

  constructor(
    readonly file: string,
    private readonly redactor: Redactor | undefined,
    private readonly reporter: Reporter,
  ) {}

  record(name: string, args: readonly unknown[], paramNames?: readonly string[]): void {
    if (this.failed) return;
    try {
      const line = `${JSON.stringify(recordingLine(name, args, paramNames, this.redactor))}\n`;
      this.write(Buffer.from(line, 'utf8'));
    } catch (err) {
      this.failed = true;
      this.reporter.warn(
        'recording',
        `recording calls to ${this.file} failed, so recording is off for this process: ${errorMessage(err)}`,
      );
    }
  }

  private write(bytes: Buffer): void {
    if (this.fd === undefined) {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, 'a');
    }
    const written = fs.writeSync(this.fd, bytes);
    // A regular file takes the whole buffer in one write; anything else would tear the line, so say so.
    if (written !== bytes.length) throw new Error(`short write (${written} of ${bytes.length} bytes)`);
  }
}
