// Experiment memory: the built CLI's `fluxloop run experiment` over RUNS runs whose agent emits 50 spans each
// (20,000 runs: 1,000,000 agent spans), with the CLI process's resident memory sampled while it runs.
//
// The project (a temp folder): capture mode `redacted`, concurrency 8, 100 input entries × RUNS/100 iterations
// (fewer entries when RUNS is not a multiple of 100), the workspace's @fluxloop/sdk linked into its node_modules
// as an installed package would be, and a module target written as a user would write it with the SDK's wrappers:
//   run = trace(type agent) → 7 × plan = trace() → 6 × lookup = tool()     (1 + 7 + 42 = 50 spans per run)
// with small inputs and outputs captured on every span. Each run's trace also has the runner's own root span, so
// observations.jsonl must hold RUNS × 51 lines; trace_summary.jsonl and traces.jsonl RUNS lines each (counted by
// streaming the files, never loading them), summary.json RUNS successful runs. Anything else fails the bench.
//
// Sampling: every INTERVAL ms (default 200) this process reads VmRSS and VmHWM from /proc/<pid>/status of the CLI
// process (`node --trace-gc packages/cli/bin/fluxloop.js run experiment --project <tmp> --output-dir <tmp>`) and
// how many runs are done (lines of trace_summary.jsonl so far, read incrementally). Reported per checkpoint (25,
// 50, 75, 100% of runs): the peak RSS so far (VmHWM when the checkpoint was reached) and the peak VmRSS within that
// quarter (the 100% quarter runs on to the exit); the overall peak (VmHWM at the end), and the growth of the peak
// from the 25% to the 100% checkpoint. Goals: overall peak < 300 MB; flat: growth ≤ 10% of the 25% checkpoint.
// RSS also holds garbage V8 has not collected yet, and V8 lets the old generation grow for a while before its
// first full GC; so the live heap after each full GC, as --trace-gc prints it on the CLI's stdout, is listed too:
// memory that grew with the runs would show there.
//
//   --runs N (default 20000), --concurrency N (default 8), --interval MS (default 200); BENCH_RUNS etc. work too.
//   BENCH_JSON_OUT=file writes the results as JSON.
import fs from 'node:fs';
import path from 'node:path';
import {
  CLI,
  countLines,
  experimentDir,
  numberFlag,
  questions,
  requireBuild,
  runNode,
  tail,
  tempDir,
  writeProject,
} from './_experiment.mjs';

const RUNS = numberFlag('runs', 20_000);
const CONCURRENCY = numberFlag('concurrency', 8);
const INTERVAL_MS = numberFlag('interval', 200);
const SPANS_PER_RUN = 50;
const PEAK_LIMIT_MB = 300;
const GROWTH_LIMIT = 0.1;

const AGENT = `// 50 spans per run: run → 7 × plan → 6 × lookup, written with the SDK's wrappers.
import { tool, trace } from '@fluxloop/sdk';

const lookup = tool(async function lookup(query, step) {
  return { query, step, hits: [\`doc-\${step}-a\`, \`doc-\${step}-b\`], score: 0.5 + step / 20 };
});

const plan = trace(async function plan(question, step) {
  const found = [];
  for (let i = 0; i < 6; i++) found.push(await lookup(\`\${question} / part \${i}\`, step));
  return { step, found: found.length };
});

export const run = trace(
  async function run(question) {
    let lookups = 0;
    for (let step = 0; step < 7; step++) lookups += (await plan(question, step)).found;
    return \`answered "\${question}" after \${lookups} lookups\`;
  },
  { type: 'agent' },
);
`;

const mb = (kb) => kb / 1024;

function readStatus(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(text);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(text);
    return rss && hwm ? { rssKb: Number(rss[1]), hwmKb: Number(hwm[1]) } : undefined;
  } catch {
    return undefined; // exited
  }
}

/** Counts the lines of a growing file from where it stopped last time. */
function lineFollower(file) {
  let offset = 0;
  let lines = 0;
  const buf = Buffer.alloc(1 << 16);
  return () => {
    let fd;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return lines;
    }
    try {
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, offset);
        if (n === 0) break;
        offset += n;
        for (let i = buf.indexOf(10); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) lines++;
      }
    } finally {
      fs.closeSync(fd);
    }
    return lines;
  };
}

/**
 * Full GCs from the CLI's --trace-gc lines (`1234 ms: Mark-Compact 88.2 (114.0) -> 13.8 (102.1) MB, ...`): heap
 * used before and after, with the runs done at that time (from the nearest earlier sample).
 */
function fullGcsIn(logFile, samples) {
  const gcs = [];
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  const pattern = /(\d+) ms: Mark-Compact[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/g;
  for (const m of text.matchAll(pattern)) {
    const ms = Number(m[1]);
    const before = samples.filter((s) => s.ms <= ms).at(-1);
    gcs.push({ ms, done: before ? before.done : 0, beforeMb: Number(m[2]), afterMb: Number(m[4]) });
  }
  return gcs;
}

export async function run() {
  requireBuild();
  const work = tempDir('fluxloop-bench-memory-');
  const project = path.join(work, 'project');
  let entries = 100;
  while (RUNS % entries !== 0) entries--;
  writeProject(project, {
    name: 'bench-memory',
    capture: 'redacted',
    iterations: RUNS / entries,
    concurrency: CONCURRENCY,
    target: './agent.mjs:run',
    agentFile: 'agent.mjs',
    agentSource: AGENT,
    inputs: questions(entries),
    linkSdk: true,
  });
  const out = path.join(work, 'experiments');
  const logFile = path.join(work, 'cli.log');
  const samples = [];
  const problems = [];
  let timer;
  let follow;
  const t0 = performance.now();
  const sample = (pid) => {
    const status = readStatus(pid);
    if (!status) return;
    if (!follow) {
      const dir = experimentDir(out);
      if (dir) follow = lineFollower(path.join(dir, 'trace_summary.jsonl'));
    }
    samples.push({ ms: Math.round(performance.now() - t0), done: follow ? follow() : 0, ...status });
  };
  let result;
  try {
    const args = ['--trace-gc', CLI, 'run', 'experiment', '--project', project, '--output-dir', out];
    const cli = await runNode(args, {
      logFile,
      onSpawn: (child) => {
        timer = setInterval(() => sample(child.pid), INTERVAL_MS);
      },
    });
    clearInterval(timer);
    if (cli.code !== 0) problems.push(`the CLI exited ${cli.code ?? cli.signal}:\n${tail(logFile)}`);
    const dir = experimentDir(out);
    const counts = dir
      ? {
          traceSummary: await countLines(path.join(dir, 'trace_summary.jsonl')),
          traces: await countLines(path.join(dir, 'traces.jsonl')),
          observations: await countLines(path.join(dir, 'observations.jsonl')),
        }
      : undefined;
    const expected = { traceSummary: RUNS, traces: RUNS, observations: RUNS * (SPANS_PER_RUN + 1) };
    if (!counts) problems.push(`no experiment folder under ${out}`);
    else {
      for (const [k, v] of Object.entries(expected)) {
        if (counts[k] !== v) problems.push(`${k}: ${counts[k]} lines, expected ${v}`);
      }
      const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
      if (summary.results.total_runs !== RUNS || summary.results.successful !== RUNS) {
        problems.push(`summary.json: ${summary.results.total_runs} runs, ${summary.results.successful} successful`);
      }
    }
    if (samples.length < 4) problems.push(`only ${samples.length} memory samples: the run was too short to sample`);
    const checkpoints = [0.25, 0.5, 0.75, 1].map((q, i) => {
      const lo = i === 0 ? -1 : Math.ceil(RUNS * (q - 0.25));
      const hi = q === 1 ? Number.POSITIVE_INFINITY : RUNS * q;
      const window = samples.filter((s) => s.done > lo && s.done <= hi);
      const reached = samples.find((s) => s.done >= RUNS * q) ?? samples.at(-1);
      return {
        at: `${q * 100}%`,
        samples: window.length,
        peakRssMb: window.length ? mb(Math.max(...window.map((s) => s.rssKb))) : Number.NaN,
        hwmMb: reached ? mb(reached.hwmKb) : Number.NaN,
      };
    });
    const peakMb = samples.length ? mb(samples.at(-1).hwmKb) : Number.NaN;
    const growthMb = checkpoints[3].hwmMb - checkpoints[0].hwmMb;
    const growth = growthMb / checkpoints[0].hwmMb;
    const fullGcs = fullGcsIn(logFile, samples);
    const runsMs = cli.wallMs;
    result = {
      runs: RUNS,
      spansPerRun: SPANS_PER_RUN,
      concurrency: CONCURRENCY,
      intervalMs: INTERVAL_MS,
      wallMs: runsMs,
      runsPerSecond: RUNS / (runsMs / 1000),
      spansPerSecond: (RUNS * SPANS_PER_RUN) / (runsMs / 1000),
      checkpoints,
      peakMb,
      growthMb,
      growth,
      fullGcs,
      goals: {
        peak: { limitMb: PEAK_LIMIT_MB, met: peakMb < PEAK_LIMIT_MB },
        flat: { limit: GROWTH_LIMIT, met: growth <= GROWTH_LIMIT },
      },
      counts,
      expected,
      samples: samples.map((s) => [s.ms, s.done, s.rssKb, s.hwmKb]),
    };
  } catch (err) {
    problems.push(err.message);
  } finally {
    clearInterval(timer);
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { ...result, complete: problems.length === 0, problems };
}

function print(r) {
  if (r.checkpoints) {
    console.log(
      `Experiment memory: ${r.runs} runs × ${r.spansPerRun} agent spans, concurrency ${r.concurrency}, ` +
        `CLI RSS sampled every ${r.intervalMs} ms`,
    );
    console.log(
      `wall ${(r.wallMs / 1000).toFixed(1)} s: ${r.runsPerSecond.toFixed(0)} runs/s, ` +
        `${r.spansPerSecond.toFixed(0)} agent spans/s (start-up included)`,
    );
    console.log('runs done    peak RSS so far (VmHWM)   peak VmRSS in quarter   samples');
    for (const c of r.checkpoints) {
      console.log(
        `${c.at.padStart(9)}    ${c.hwmMb.toFixed(1).padStart(16)} MB   ${c.peakRssMb.toFixed(1).padStart(18)} MB` +
          `   ${String(c.samples).padStart(7)}`,
      );
    }
    console.log(
      `overall peak (VmHWM) ${r.peakMb.toFixed(1)} MB (goal < ${r.goals.peak.limitMb} MB: ` +
        `${r.goals.peak.met ? 'MET' : 'NOT MET'}); growth 25% → 100% ${r.growthMb >= 0 ? '+' : ''}` +
        `${r.growthMb.toFixed(1)} MB (${(r.growth * 100).toFixed(1)}%; goal ≤ ${r.goals.flat.limit * 100}%: ` +
        `${r.goals.flat.met ? 'MET' : 'NOT MET'})`,
    );
    console.log(
      `live heap after full GCs (MB at runs done): ${
        r.fullGcs.map((g) => `${g.afterMb.toFixed(1)} @ ${g.done}`).join(', ') || 'none'
      }`,
    );
    if (r.counts) {
      console.log(
        `artifacts: trace_summary.jsonl ${r.counts.traceSummary}, traces.jsonl ${r.counts.traces}, ` +
          `observations.jsonl ${r.counts.observations} lines (expected ${r.expected.traceSummary}, ` +
          `${r.expected.traces}, ${r.expected.observations})`,
      );
    }
  }
  for (const p of r.problems) console.log(`PROBLEM: ${p}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  print(result);
  if (process.env.BENCH_JSON_OUT) fs.writeFileSync(process.env.BENCH_JSON_OUT, JSON.stringify(result, null, 2));
  if (!result.complete) process.exitCode = 1;
}
