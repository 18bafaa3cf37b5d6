/**
 * Storage receives records already encoded as JSON text (one record per string, no newline), so that
 * file storage appends them as lines and HTTP storage splices them into a request body without
 * parsing and re-serializing the payloads they carry.
 */
export interface EncodedBatch {
  traces: string[];
  observations: string[];
}

export interface StorageStats {
  /** Records accepted by append(). */
  accepted: number;
  /** Records known to be durable: written to the file, or acknowledged by the collector. */
  delivered: number;
  /** Records written to the local spool because the collector could not be reached (HTTP only). */
  spooled: number;
  /** Records that could not be stored anywhere. Always reported to the user. */
  failed: number;
}

export interface RecordStorage {
  readonly kind: string;
  /** Takes ownership of the batch. Never throws: failures are counted and reported. */
  append(batch: EncodedBatch): void;
  /** Resolves true once everything appended so far is durable, false if the timeout passed first. Never rejects. */
  flush(timeoutMs: number): Promise<boolean>;
  /**
   * Called from the process `exit` event, where only synchronous work runs: persist everything still held
   * (file: write it; HTTP: spool it to disk for a later process to re-send). Never throws.
   */
  flushSync(): void;
  /** Flushes, then releases timers, sockets and file handles. Never rejects. */
  shutdown(timeoutMs: number): Promise<boolean>;
  stats(): StorageStats;
}
