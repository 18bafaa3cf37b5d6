// npm run bench: runs every benchmark in this folder, each in a process of its own, and prints its table.
// BENCH_ONLY=name runs one. Results are also written to .bench/results/<name>.json for comparison over time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../..');
const benches = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs' && !f.startsWith('_'))
  .filter((f) => !process.env.BENCH_ONLY || f.startsWith(process.env.BENCH_ONLY))
  .sort();

const resultsDir = path.join(root, '.bench', 'results');
fs.mkdirSync(resultsDir, { recursive: true });
let failed = 0;
for (const file of benches) {
  const name = file.replace(/\.mjs$/, '');
  console.log(`\n=== ${name}`);
  const out = path.join(resultsDir, `${name}.json`);
  const run = spawnSync(process.execPath, [path.join(here, file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BENCH_JSON_OUT: out },
  });
  if (run.status !== 0) {
    failed++;
    console.log(`${name}: FAILED (exit ${run.status})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
