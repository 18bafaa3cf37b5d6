import type { Reporter } from '../diagnostics.js';
import { encodeObservation, encodeTrace } from '../projection/encode.js';
import { TraceAssembler } from '../projection/trace-assembler.js';
import { FileStorage } from '../storage/file-storage.js';
import { HttpStorage } from '../storage/http-storage.js';
import { NoneStorage } from '../storage/none-storage.js';
import type { EncodedBatch, RecordStorage } from '../storage/types.js';
import { decodeSpan, type WireBatch } from './wire.js';

/** What the export thread needs to build its storage: plain data, so it can cross into a worker. */
export interface StorageConfig {
  kind: 'file' | 'http' | 'none';
  outputDir: string;
  collectorUrl: string;
  apiKey?: string;
  spoolDir: string;
  serviceName?: string;
}

export function createStorage(config: StorageConfig, reporter: Reporter): RecordStorage {
  switch (config.kind) {
    case 'file':
      return new FileStorage({ outputDir: config.outputDir, reporter });
    case 'http':
      return new HttpStorage({
        collectorUrl: config.collectorUrl,
        ...(config.apiKey ? { apiKey: config.apiKey } : {}),
        ...(config.serviceName ? { serviceName: config.serviceName } : {}),
        spoolDir: config.spoolDir,
        reporter,
      });
    case 'none':
      return new NoneStorage();
  }
}

/** Spans → records → encoded lines → storage. Runs on the export worker, or inline on the main thread. */
export class RecordPipeline {
  private readonly assembler = new TraceAssembler();

  constructor(
    readonly storage: RecordStorage,
    private readonly reporter: Reporter,
  ) {}

  process(batch: WireBatch): void {
    const out: EncodedBatch = { traces: [], observations: [] };
    for (const wire of batch.spans) {
      try {
        const projected = this.assembler.add(decodeSpan(wire, batch.resources));
        for (const observation of projected.observations) out.observations.push(encodeObservation(observation));
        if (projected.trace) out.traces.push(encodeTrace(projected.trace));
      } catch (err) {
        // One malformed span must not cost the rest of the batch.
        this.reporter.warn('projection', `could not convert span "${wire[0]}" to records: ${(err as Error).message}`);
      }
    }
    this.storage.append(out);
  }
}
