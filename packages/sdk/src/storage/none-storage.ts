import type { RecordStorage, StorageStats } from './types.js';

/** FLUXLOOP_STORAGE=none: spans still flow to OTLP or other processors, FluxLoop records go nowhere. */
export class NoneStorage implements RecordStorage {
  readonly kind = 'none';
  private accepted = 0;
  append(batch: { traces: string[]; observations: string[] }): void {
    this.accepted += batch.traces.length + batch.observations.length;
  }
  async flush(): Promise<boolean> {
    return true;
  }
  flushSync(): void {}
  async shutdown(): Promise<boolean> {
    return true;
  }
  stats(): StorageStats {
    return { accepted: this.accepted, delivered: this.accepted, spooled: 0, failed: 0 };
  }
}
