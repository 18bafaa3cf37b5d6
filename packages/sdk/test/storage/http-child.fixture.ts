// Run by http-storage.test.ts as a separate process (node --import tsx): whether the storage lets a
// process exit on its own is only observable from outside it.
import { MemoryReporter } from '../../src/diagnostics.js';
import { HttpStorage } from '../../src/storage/http-storage.js';

const [collectorUrl = '', spoolDir = '', mode = ''] = process.argv.slice(2);
const storage = new HttpStorage({
  collectorUrl,
  spoolDir,
  reporter: new MemoryReporter(),
  initialBackoffMs: 200,
  maxBackoffMs: 200,
  resendIntervalMs: 50,
});
process.on('exit', () => storage.flushSync());
storage.append({ traces: ['{"id":"t1"}'], observations: ['{"id":"o1"}', '{"id":"o2"}'] });

if (mode === 'shutdown') {
  const first = storage.shutdown(2000);
  const second = storage.shutdown(2000);
  const results = [await first, await second, await storage.shutdown(2000), first === second];
  process.stdout.write(JSON.stringify({ results, stats: storage.stats() }));
}
// mode 'drain': nothing keeps the process alive but the storage's own work.
