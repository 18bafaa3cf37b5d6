import path from 'node:path';
import { FileStorage, type Reporter } from '@fluxloop/sdk';
import { encodeObservation, encodeTrace, type SpanSnapshot, TraceAssembler } from '@fluxloop/sdk/projection';
import { BatchJournal, RecentSet } from './dedupe.js';

export interface IngestorOptions {
  outputDir: string;
  reporter: Reporter;
  /** Span ids remembered to drop re-sent spans (OTLP clients retry whole requests). Default 1,000,000. */
  spanDedupeWindow?: number;
  /** Record batch ids remembered, across restarts, to store each batch once. Default 1,000,000. */
  batchDedupeWindow?: number;
}

interface Service {
  assembler: TraceAssembler;
  storage: FileStorage;
}

/**
 * A service name as a folder name: no separators, no leading dot (no '..', no hidden folders, and never the
 * collector's own `.collector`), bounded length.
 */
export function serviceFolder(name: unknown): string {
  const raw = typeof name === 'string' && name.trim() ? name.trim() : 'unknown_service';
  return raw
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 100);
}

/**
 * Spans and record batches in, FluxLoop records out: one folder per service.name, each with the same
 * traces.jsonl / observations.jsonl as the SDK's file storage, built by the same projection (TraceAssembler),
 * never trusting payloads for being labelled as FluxLoop's. Writes are synchronous single appends per file and
 * batch, so concurrent requests (and other collectors on the same folder) never interleave within a line.
 */
export class Ingestor {
  private readonly services = new Map<string, Service>();
  /** The raw service.name → its service, so the folder name is worked out once per name, not per span. */
  private readonly byName = new Map<unknown, Service>();
  private readonly seenSpans: RecentSet;
  private readonly batches: BatchJournal;
  /** Spans dropped because the same span (trace id + span id) was already stored. */
  duplicateSpans = 0;

  constructor(private readonly options: IngestorOptions) {
    this.seenSpans = new RecentSet(options.spanDedupeWindow ?? 1_000_000);
    this.batches = new BatchJournal(path.join(options.outputDir, '.collector'), options.batchDedupeWindow ?? 1_000_000);
  }

  /** Projects and stores spans; returns how many were new. */
  ingestSpans(spans: SpanSnapshot[]): number {
    const out = new Map<Service, { traces: string[]; observations: string[] }>();
    let stored = 0;
    for (const span of spans) {
      const key = span.traceId + span.spanId;
      if (this.seenSpans.has(key)) {
        this.duplicateSpans++;
        continue;
      }
      this.seenSpans.add(key);
      const service = this.service(span.resource['service.name']);
      let lines = out.get(service);
      if (!lines) {
        lines = { traces: [], observations: [] };
        out.set(service, lines);
      }
      const projected = service.assembler.add(span);
      for (const o of projected.observations) lines.observations.push(encodeObservation(o));
      if (projected.trace) lines.traces.push(encodeTrace(projected.trace));
      stored++;
    }
    for (const [service, lines] of out) service.storage.append(lines);
    return stored;
  }

  /** Stores a validated record batch once per batch_id; false when it was stored before. */
  ingestRecords(batchId: string, serviceName: unknown, traces: unknown[], observations: unknown[]): boolean {
    if (this.batches.has(batchId)) return false;
    const service = this.service(serviceName);
    service.storage.append({
      traces: traces.map((r) => JSON.stringify(r)),
      observations: observations.map((r) => JSON.stringify(r)),
    });
    this.batches.add(batchId);
    return true;
  }

  async close(): Promise<void> {
    for (const service of this.services.values()) await service.storage.shutdown();
    this.services.clear();
    this.byName.clear();
  }

  private service(name: unknown): Service {
    const known = this.byName.get(name);
    if (known) return known;
    const service = this.serviceFor(serviceFolder(name));
    if (this.byName.size < 10_000) this.byName.set(name, service);
    return service;
  }

  private serviceFor(folder: string): Service {
    let service = this.services.get(folder);
    if (!service) {
      service = {
        assembler: new TraceAssembler({ trustPayloads: false }),
        storage: new FileStorage({
          outputDir: path.join(this.options.outputDir, folder),
          reporter: this.options.reporter,
        }),
      };
      this.services.set(folder, service);
    }
    return service;
  }
}
