import { randomUUID } from 'node:crypto';

/** One request's worth of records, already spliced into the JSON body the collector receives. */
export interface RequestBatch {
  /** Idempotency key: the collector stores a batch_id once, so every retry and re-send reuses it. */
  readonly id: string;
  /** The full request body; also the batch's line in a spool file. */
  readonly body: string;
  readonly records: number;
  /** Order of sealing: flush() waits for every batch up to the last one sealed before it was called. */
  readonly seq: number;
  /** Set once the batch is delivered, spooled, dead-lettered or lost, so a late answer cannot count it twice. */
  settled: boolean;
}

// `{"batch_id":"<36 chars>","traces":[],"observations":[]}`: counted against maxBatchBytes up front.
const BODY_OVERHEAD = 80;

/**
 * Groups encoded records into request batches by count and bytes. Records are spliced into the body as
 * the JSON text they arrived as: parsing and re-serializing would double the CPU cost and could change
 * the bytes (number formats, key order) the rest of the pipeline produced.
 */
export class BatchBuilder {
  private traces: string[] = [];
  private observations: string[] = [];
  private bytes = BODY_OVERHEAD;
  private nextSeq = 1;

  /** `"service_name":"…",` spliced after the batch id, or nothing. */
  private readonly serviceField: string;

  constructor(
    private readonly maxRecords: number,
    private readonly maxBytes: number,
    serviceName?: string,
  ) {
    this.serviceField = serviceName ? `"service_name":${JSON.stringify(serviceName)},` : '';
    this.bytes = BODY_OVERHEAD + this.serviceField.length;
  }

  get size(): number {
    return this.traces.length + this.observations.length;
  }

  /** Seq of the most recently sealed batch (0 before any). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Adds one record; returns a sealed batch when the record did not fit into the open one. */
  add(record: string, kind: 'trace' | 'observation', sealed: (batch: RequestBatch) => void): void {
    // One comma or bracket per record besides its own bytes; byteLength because the collector limits bytes.
    const recordBytes = Buffer.byteLength(record) + 1;
    if (this.size > 0 && (this.size >= this.maxRecords || this.bytes + recordBytes > this.maxBytes)) {
      sealed(this.seal()!);
    }
    (kind === 'trace' ? this.traces : this.observations).push(record);
    this.bytes += recordBytes;
  }

  /** Seals whatever the open batch holds; undefined when it is empty. */
  seal(): RequestBatch | undefined {
    const records = this.size;
    if (records === 0) return undefined;
    const id = randomUUID();
    let body = `{"batch_id":"${id}",${this.serviceField}"traces":[${this.traces.join(',')}],"observations":[${this.observations.join(',')}]}`;
    // Compact JSON never holds a raw CR or LF (JSON.stringify escapes them inside strings), so one here is
    // whitespace between tokens; it would split the spool line and corrupt the batch on re-send.
    if (body.includes('\n') || body.includes('\r')) body = body.replace(/[\r\n]/g, ' ');
    this.traces = [];
    this.observations = [];
    this.bytes = BODY_OVERHEAD + this.serviceField.length;
    return { id, body, records, seq: this.nextSeq++, settled: false };
  }
}
