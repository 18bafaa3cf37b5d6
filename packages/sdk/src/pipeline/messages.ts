import type { StorageStats } from '../storage/types.js';
import type { StorageConfig } from './record-pipeline.js';
import type { WireBatch } from './wire.js';

/** Messages between the WorkerHost (main thread) and the export worker. */
export type ToWorker =
  | { t: 'batch'; batch: WireBatch }
  | { t: 'flush'; id: number; timeoutMs: number }
  | { t: 'shutdown'; id: number; timeoutMs: number }
  | { t: 'flush-sync'; generation: number };

export type FromWorker =
  | { t: 'ack'; seq: number; spans: number }
  | { t: 'done'; id: number; ok: boolean; stats: StorageStats }
  | { t: 'report'; key: string; message: string };

export interface WorkerData {
  storage: StorageConfig;
  /** Int32 cells shared with the main thread, see CONTROL. */
  control: SharedArrayBuffer;
}

/** Cells of the shared control array. */
export const CONTROL = {
  /** Seq of the last batch the worker has appended to storage. */
  processedSeq: 0,
  /** Bumped by the worker when a synchronous flush is complete. */
  syncGeneration: 1,
  size: 2,
} as const;
