import { type Context, type Span, SpanStatusCode } from '@opentelemetry/api';
import type { ActiveSdk } from '../runtime/registry.js';
import * as A from '../semconv.js';
import { type GenerationInfo, generationAttributes, readGenerationInfo } from './generation-info.js';
import { setPayload } from './payload-attributes.js';
import { ChunkCollector } from './streams.js';

/**
 * One traced call: owns its span from the moment the wrapped function is entered until its result settles, is
 * fully consumed, is cancelled, or fails. Ends the span exactly once. Every SDK operation in here is guarded:
 * a failure of ours is reported and swallowed, never thrown into the caller's code.
 */
export class TracedCall {
  private ended = false;
  private collector: ChunkCollector | undefined;
  private readonly startedAt = performance.now();

  constructor(
    readonly span: Span,
    readonly ctx: Context,
    private readonly sdk: ActiveSdk,
    private readonly captureOutput: boolean,
    private readonly isGeneration: boolean,
    private readonly report: (err: unknown) => void,
  ) {}

  /** Ends the span with this return value as output. */
  succeed(value: unknown): void {
    if (this.ended) return;
    this.guard(() => {
      if (this.isGeneration) this.setGeneration(readGenerationInfo(value));
      if (this.captureOutput) this.setOutput(value);
    });
    this.end();
  }

  /** Ends the span with error status and the exception recorded (its message redacted per the capture mode). */
  fail(error: unknown): void {
    if (this.ended) return;
    this.guard(() => {
      const err = error instanceof Error ? error : undefined;
      const message = this.sdk.capture.text(err ? err.message : String(error));
      const type = err ? err.name || err.constructor?.name || 'Error' : typeof error;
      this.span.addEvent(A.EXCEPTION_EVENT, {
        [A.EXCEPTION_TYPE]: type,
        [A.EXCEPTION_MESSAGE]: message,
        ...(err?.stack ? { 'exception.stacktrace': this.sdk.capture.text(err.stack) } : {}),
      });
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: `${type}: ${message}` });
      this.span.setAttribute(A.FLUXLOOP_LEVEL, 'error');
      this.flushChunks();
    });
    this.end();
  }

  /** A stream or generator element went past: kept (bounded) as output, read for token usage, timed. */
  chunk(value: unknown): void {
    if (this.ended) return;
    this.guard(() => {
      if (!this.collector) {
        this.collector = new ChunkCollector(this.sdk.capture.maxChars);
        if (this.isGeneration) {
          const seconds = (performance.now() - this.startedAt) / 1000;
          this.span.setAttribute(A.GEN_AI_TIME_TO_FIRST_CHUNK, Math.round(seconds * 1e6) / 1e6);
        }
      }
      if (this.captureOutput && this.sdk.capture.capturesContent) this.collector.add(value);
      if (this.isGeneration) this.setGeneration(readGenerationInfo(value));
    });
  }

  /** The stream was fully consumed; `returned` is a generator's return value, if any. */
  complete(returned?: unknown): void {
    if (this.ended) return;
    if (!this.collector) {
      this.succeed(returned);
      return;
    }
    this.guard(() => this.flushChunks());
    this.end();
  }

  /** The consumer stopped early (break, return(), cancel()): not an error, but visible. */
  cancel(): void {
    if (this.ended) return;
    this.guard(() => {
      this.span.setAttribute('fluxloop.stream.cancelled', true);
      this.flushChunks();
    });
    this.end();
  }

  private flushChunks(): void {
    if (this.collector && this.captureOutput) this.setOutput(this.collector.value());
  }

  private setOutput(value: unknown): void {
    if (typeof value === 'string') {
      const text = this.sdk.capture.plain(value);
      if (text !== undefined) setPayload(this.span, this.sdk, 'output', { text });
      return;
    }
    const json = this.sdk.capture.value(value);
    if (json !== undefined) setPayload(this.span, this.sdk, 'output', { json });
  }

  private setGeneration(info: GenerationInfo | undefined): void {
    if (info) this.span.setAttributes(generationAttributes(info));
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.guard(() => this.span.end());
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (err) {
      this.report(err);
    }
  }
}
