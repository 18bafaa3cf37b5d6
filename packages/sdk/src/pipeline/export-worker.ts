/**
 * Entry of the export worker thread: wire batches in, records out to storage. See WorkerHost for the protocol.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage, type Reporter } from '../diagnostics.js';
import { CONTROL, type FromWorker, type ToWorker, type WorkerData } from './messages.js';
import { createStorage, RecordPipeline } from './record-pipeline.js';

const port = parentPort;
if (!port) throw new Error('export-worker must run as a worker thread');
const data = workerData as WorkerData;
const control = new Int32Array(data.control);
const post = (message: FromWorker) => port.postMessage(message);

/** Forwards each key's first report only; the main thread's reporter prints it. */
const seen = new Set<string>();
const reporter: Reporter = {
  warn(key, message) {
    if (seen.has(key)) return;
    seen.add(key);
    post({ t: 'report', key, message });
  },
};

const storage = createStorage(data.storage, reporter);
const pipeline = new RecordPipeline(storage, reporter);
/** Stored acks wait for durable delivery when storage is asynchronous (HTTP); file writes are durable at once. */
const syncStorage = storage.kind !== 'http';
let waiting: { seq: number; spans: number }[] = [];
let draining = false;

async function drainAcks(): Promise<void> {
  draining = true;
  while (waiting.length > 0) {
    const batch = waiting;
    waiting = [];
    await storage.flush(30_000);
    for (const ack of batch) post({ t: 'ack', seq: ack.seq, spans: ack.spans });
  }
  draining = false;
}

port.on('message', (message: ToWorker) => {
  switch (message.t) {
    case 'batch': {
      const { batch } = message;
      try {
        pipeline.process(batch);
      } catch (err) {
        reporter.warn('pipeline', `could not store a batch of ${batch.spans.length} spans: ${errorMessage(err)}`);
      }
      Atomics.store(control, CONTROL.processedSeq, batch.seq);
      if (syncStorage) post({ t: 'ack', seq: batch.seq, spans: batch.spans.length });
      else {
        waiting.push({ seq: batch.seq, spans: batch.spans.length });
        if (!draining) void drainAcks();
      }
      break;
    }
    case 'flush':
    case 'shutdown': {
      const run = message.t === 'flush' ? storage.flush(message.timeoutMs) : storage.shutdown(message.timeoutMs);
      run.catch(() => false).then((ok) => post({ t: 'done', id: message.id, ok, stats: storage.stats() }));
      break;
    }
    case 'flush-sync': {
      storage.flushSync();
      Atomics.store(control, CONTROL.syncGeneration, message.generation);
      Atomics.notify(control, CONTROL.syncGeneration);
      break;
    }
  }
});
