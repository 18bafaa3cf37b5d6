import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CollectorOptions, type RunningCollector, startCollector } from '@fluxloop/collector';
import type { ObservationRecord, TraceRecord } from '@fluxloop/contract';
import { validateObservationRecord, validateTraceRecord } from '@fluxloop/contract/validate';
import { MemoryReporter } from '@fluxloop/sdk';

const temps: string[] = [];
const running = new Set<RunningCollector>();

/** A fresh temp folder, removed by cleanup(). */
export function tempDir(prefix = 'fluxloop-collector-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export interface Records {
  traces: TraceRecord[];
  observations: ObservationRecord[];
}

export interface TestCollector extends RunningCollector {
  dir: string;
  reporter: MemoryReporter;
  /** POST target of OTLP/HTTP traces. */
  tracesUrl: string;
  /** POST target of FluxLoop record batches. */
  recordsUrl: string;
  /** The records of one service folder, every line parsed (a line that is not JSON throws). */
  records(service: string): Records;
}

/** A real collector on 127.0.0.1, port 0, writing to a temp dir (or `outputDir`); closed by cleanup(). */
export async function serve(options: Partial<CollectorOptions> = {}): Promise<TestCollector> {
  const dir = options.outputDir ?? tempDir();
  const reporter = new MemoryReporter();
  const collector = await startCollector({ port: 0, reporter, ...options, outputDir: dir });
  running.add(collector);
  return {
    url: collector.url,
    port: collector.port,
    stats: () => collector.stats(),
    close: async () => {
      running.delete(collector);
      await collector.close();
    },
    dir,
    reporter,
    tracesUrl: `${collector.url}/v1/traces`,
    recordsUrl: `${collector.url}/v1/fluxloop/records`,
    records: (service: string) => readRecords(path.join(dir, service)),
  };
}

/** Closes every collector still running and removes the temp folders. */
export async function cleanup(): Promise<void> {
  await Promise.all([...running].map((c) => c.close()));
  running.clear();
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Every line of a JSONL file, parsed; throws naming the line when one is not JSON (a torn or interleaved write). */
export function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) throw new Error(`${file}: last line is not terminated`);
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line, i) => {
      try {
        return JSON.parse(line) as T;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message}): ${line.slice(0, 120)}`);
      }
    });
}

export function readRecords(dir: string): Records {
  return {
    traces: readJsonl<TraceRecord>(path.join(dir, 'traces.jsonl')),
    observations: readJsonl<ObservationRecord>(path.join(dir, 'observations.jsonl')),
  };
}

/** Every record against its contract schema: the list of problems, empty when all are valid. */
export function schemaProblems(records: Records): string[] {
  const problems: string[] = [];
  records.traces.forEach((t, i) => {
    const r = validateTraceRecord(t);
    if (!r.valid) problems.push(`traces[${i}]: ${r.errors.join('; ')}`);
  });
  records.observations.forEach((o, i) => {
    const r = validateObservationRecord(o);
    if (!r.valid) problems.push(`observations[${i}]: ${r.errors.join('; ')}`);
  });
  return problems;
}

/** The service folders written under an output dir (the collector's own `.collector` excluded). */
export function serviceFolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== '.collector')
    .map((e) => e.name)
    .sort();
}

/** An OTel HrTime as the contract's ISO time: UTC, microseconds, truncated (not rounded). */
export function isoMicros(time: [number, number]): string {
  const [seconds, nanos] = time;
  const date = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${date}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}
