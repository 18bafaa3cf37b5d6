import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ObservationRecord, TraceRecord } from '@fluxloop/contract';
import { configure, type FluxLoopOptions, FluxLoopSpanProcessor, MemoryReporter, shutdown } from '@fluxloop/sdk';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export function tempDir(prefix = 'fluxloop-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);
}

export interface Records {
  traces: TraceRecord[];
  observations: ObservationRecord[];
}

export function readRecords(dir: string): Records {
  return {
    traces: readJsonl<TraceRecord>(path.join(dir, 'traces.jsonl')),
    observations: readJsonl<ObservationRecord>(path.join(dir, 'observations.jsonl')),
  };
}

/** Forgets the process-wide FluxLoop state, so the next test starts from "nothing configured". */
export async function resetFluxLoop(): Promise<void> {
  await shutdown(10_000);
  trace.disable();
  context.disable();
  // biome-ignore lint/suspicious/noExplicitAny: the runtime slot's type is internal to the SDK.
  const slot = (globalThis as Record<symbol, any>)[Symbol.for('fluxloop.sdk.runtime.v1')];
  if (slot) {
    // Exit hooks stay installed (they are once per process); everything configured is forgotten.
    slot.active = undefined;
    slot.deactivate = undefined;
    slot.flushActive = undefined;
    slot.processors.clear();
    slot.probe = { pending: false, seen: false };
  }
}

/**
 * FluxLoop configured through configure() (so it registers its own provider), writing to a temp dir.
 * `records()` flushes and reads what was written.
 */
export async function configured(options: FluxLoopOptions = {}) {
  await resetFluxLoop();
  const dir = tempDir();
  const reporter = new MemoryReporter();
  const client = configure({ outputDir: dir, reporter, ...options });
  return {
    dir,
    client,
    reporter,
    async records(): Promise<Records> {
      await client.forceFlush(10_000);
      return readRecords(dir);
    },
  };
}

/**
 * The drop-in: an application's own provider with an in-memory exporter (its own backend) next to a
 * FluxLoopSpanProcessor writing to a temp dir.
 */
export async function dropIn(options: FluxLoopOptions = {}) {
  await resetFluxLoop();
  const dir = tempDir();
  const reporter = new MemoryReporter();
  const exporter = new InMemorySpanExporter();
  const processor = new FluxLoopSpanProcessor({ outputDir: dir, reporter, ...options });
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter), processor] });
  provider.register();
  return {
    dir,
    exporter,
    processor,
    provider,
    reporter,
    async records(): Promise<Records> {
      await processor.flush(10_000);
      return readRecords(dir);
    },
  };
}
