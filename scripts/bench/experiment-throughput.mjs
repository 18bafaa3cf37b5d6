// Experiment throughput: the built CLI's `fluxloop run experiment` next to `promptfoo eval`, same inputs, same
// concurrency, in the same script run, rounds interleaved.
//
// fluxloop: `node packages/cli/bin/fluxloop.js run experiment --project <tmp> --concurrency 8 --output-dir <tmp>`
// on a project whose target is a module function that returns its input (`./agent.mjs:run`), over INPUTS entries
// of inputs/generated.yaml, capture mode left at the default (full), artifacts written as usual (summary.json,
// trace_summary.jsonl, traces.jsonl, observations.jsonl).
// promptfoo 0.121.20 (installed on demand into .bench/promptfoo, see _experiment.mjs): `node <promptfoo bin> eval
// -c <config> -j 8 --no-cache -o <tmp>/out.json`, prompt `{{input}}`, the same inputs as a tests CSV, no
// assertions, telemetry, update check, remote generation and sharing off, PROMPTFOO_CONFIG_DIR a temp folder of
// its own (kept across rounds, as a user's is: its results database is created in the warm-up round). Two
// providers, both measured:
//   - file:// JS provider (the like-for-like equivalent: user code loaded from a file, called once per case,
//     returning its input, as the fluxloop target is);
//   - the built-in `echo` provider (no user module at all: promptfoo's cheapest path).
// The goal (fluxloop ≥ 5× promptfoo's throughput) is judged against the faster of the two.
//
// Each measurement is a whole command, wall-clock from spawn to exit (start-up, config and input loading, the
// runs, writing results). One warm-up round of each (not counted), then ROUNDS rounds, the order of the three
// rotated each round. Every measured command must have done all its work, or the bench fails (exit 1): fluxloop's
// summary.json must report INPUTS successful runs and trace_summary.jsonl hold INPUTS lines whose output equals
// their input, one per input; promptfoo's output file must hold INPUTS successful results whose output equals the
// test's input, one per input.
//
//   --rounds N (default 5), --inputs N (default 1000), --concurrency N (default 8), --warmup N (default 1);
//   BENCH_ROUNDS / BENCH_INPUTS / ... work too. BENCH_JSON_OUT=file writes the results as JSON.
import fs from 'node:fs';
import path from 'node:path';
import {
  CLI,
  ensurePromptfoo,
  experimentDir,
  median,
  numberFlag,
  PROMPTFOO_VERSION,
  promptfooEnv,
  questions,
  requireBuild,
  runNode,
  tail,
  tempDir,
  writeProject,
} from './_experiment.mjs';

const ROUNDS = numberFlag('rounds', 5);
const INPUTS = numberFlag('inputs', 1000);
const CONCURRENCY = numberFlag('concurrency', 8);
const WARMUP = numberFlag('warmup', 1);
const GOAL = 5;

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Checks that every input was answered exactly once with itself; returns a problem or undefined. */
function checkEchoes(pairs, inputs) {
  const wanted = new Set(inputs);
  const seen = new Set();
  for (const [input, output] of pairs) {
    if (output !== input) return `output ${JSON.stringify(output)} differs from input ${JSON.stringify(input)}`;
    if (!wanted.has(input)) return `unknown input ${JSON.stringify(input)}`;
    seen.add(input);
  }
  if (seen.size !== inputs.length) return `${seen.size} distinct inputs answered of ${inputs.length}`;
  return undefined;
}

function fluxloopCase(work, inputs) {
  const project = path.join(work, 'fluxloop-project');
  writeProject(project, {
    name: 'bench-throughput',
    iterations: 1,
    concurrency: CONCURRENCY,
    target: './agent.mjs:run',
    agentFile: 'agent.mjs',
    agentSource: '// A no-op agent: returns its input.\nexport function run(input) {\n  return input;\n}\n',
    inputs,
  });
  let n = 0;
  return {
    key: 'fluxloop',
    label: 'fluxloop run experiment',
    async once() {
      const out = path.join(work, `fluxloop-out-${n++}`);
      const logFile = `${out}.log`;
      const args = [CLI, 'run', 'experiment', '--project', project, '--concurrency', String(CONCURRENCY)];
      const run = await runNode([...args, '--output-dir', out], { logFile });
      if (run.code !== 0) throw new Error(`fluxloop exited ${run.code ?? run.signal}:\n${tail(logFile)}`);
      const dir = experimentDir(out);
      if (!dir) throw new Error(`fluxloop wrote no experiment folder under ${out}`);
      const summary = readJson(path.join(dir, 'summary.json'));
      const r = summary.results;
      if (summary.status !== 'completed' || r.total_runs !== inputs.length || r.successful !== inputs.length) {
        throw new Error(
          `fluxloop summary.json: status ${summary.status}, ${r.total_runs} runs, ${r.successful} successful ` +
            `(expected ${inputs.length})`,
        );
      }
      const lines = fs.readFileSync(path.join(dir, 'trace_summary.jsonl'), 'utf8').trimEnd().split('\n');
      if (lines.length !== inputs.length) throw new Error(`fluxloop trace_summary.jsonl has ${lines.length} lines`);
      const problem = checkEchoes(
        lines.map((l) => JSON.parse(l)).map((rec) => [rec.input, rec.output]),
        inputs,
      );
      if (problem) throw new Error(`fluxloop trace_summary.jsonl: ${problem}`);
      const inLoopMs = Date.parse(summary.finished_at) - Date.parse(summary.started_at);
      fs.rmSync(out, { recursive: true, force: true });
      return { wallMs: run.wallMs, inLoopMs, runs: r.total_runs };
    },
  };
}

function promptfooCase(work, inputs, bin, provider) {
  const dir = path.join(work, 'promptfoo');
  const csv = path.join(dir, 'tests.csv');
  if (!fs.existsSync(csv)) {
    fs.mkdirSync(path.join(dir, 'config-dir'), { recursive: true });
    const quote = (s) => `"${s.replace(/"/g, '""')}"`;
    fs.writeFileSync(csv, `input\n${inputs.map(quote).join('\n')}\n`);
    fs.writeFileSync(
      path.join(dir, 'echo-provider.mjs'),
      [
        '// A no-op provider: returns the prompt it is given.',
        'export default class EchoProvider {',
        '  constructor(options = {}) {',
        "    this.providerId = options.id ?? 'file-echo';",
        '  }',
        '  id() {',
        '    return this.providerId;',
        '  }',
        '  async callApi(prompt) {',
        '    return { output: prompt };',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  }
  const providerId = provider === 'file' ? 'file://echo-provider.mjs' : 'echo';
  const config = path.join(dir, `promptfooconfig-${provider}.yaml`);
  fs.writeFileSync(config, `prompts:\n  - '{{input}}'\nproviders:\n  - ${providerId}\ntests: file://tests.csv\n`);
  const env = promptfooEnv(path.join(dir, 'config-dir'));
  let n = 0;
  return {
    key: `promptfoo-${provider}`,
    label: provider === 'file' ? 'promptfoo eval, file:// JS provider' : 'promptfoo eval, built-in echo',
    async once() {
      const out = path.join(dir, `out-${provider}-${n++}.json`);
      const logFile = `${out}.log`;
      const args = [bin, 'eval', '-c', config, '-j', String(CONCURRENCY), '--no-cache', '-o', out];
      const run = await runNode(args, { cwd: dir, env, logFile });
      if (run.code !== 0) throw new Error(`promptfoo exited ${run.code ?? run.signal}:\n${tail(logFile)}`);
      if (!fs.existsSync(out)) throw new Error(`promptfoo wrote no ${out}:\n${tail(logFile)}`);
      const { results } = readJson(out);
      const s = results.stats;
      if (results.results.length !== inputs.length || s.successes !== inputs.length || s.errors !== 0) {
        throw new Error(
          `promptfoo output: ${results.results.length} results, ${s.successes} successes, ${s.errors} errors ` +
            `(expected ${inputs.length})`,
        );
      }
      const problem = checkEchoes(
        results.results.map((x) => [x.vars?.input, x.response?.output]),
        inputs,
      );
      if (problem) throw new Error(`promptfoo output: ${problem}`);
      fs.rmSync(out, { force: true });
      return { wallMs: run.wallMs, inLoopMs: s.durationMs, runs: results.results.length };
    },
  };
}

export async function run() {
  requireBuild();
  const promptfoo = ensurePromptfoo();
  if (promptfoo.error) return { complete: false, problems: [promptfoo.error], promptfoo };
  const work = tempDir('fluxloop-bench-throughput-');
  const inputs = questions(INPUTS);
  const cases = [
    fluxloopCase(work, inputs),
    promptfooCase(work, inputs, promptfoo.bin, 'file'),
    promptfooCase(work, inputs, promptfoo.bin, 'echo'),
  ];
  const samples = Object.fromEntries(cases.map((c) => [c.key, []]));
  const problems = [];
  try {
    for (let w = 0; w < WARMUP; w++) for (const c of cases) await c.once();
    for (let r = 0; r < ROUNDS; r++) {
      const order = cases.map((_, i) => cases[(i + r) % cases.length]);
      for (const c of order) samples[c.key].push(await c.once());
      process.stderr.write(
        `round ${r + 1}/${ROUNDS}: ${cases.map((c) => `${c.key} ${(samples[c.key].at(-1).wallMs / 1000).toFixed(2)} s`).join(', ')}\n`,
      );
    }
  } catch (err) {
    problems.push(err.message);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const summary = {};
  for (const c of cases) {
    const xs = samples[c.key];
    const wallMs = xs.length ? median(xs.map((x) => x.wallMs)) : Number.NaN;
    summary[c.key] = {
      label: c.label,
      wallMs,
      runsPerSecond: INPUTS / (wallMs / 1000),
      inLoopMs: xs.length ? median(xs.map((x) => x.inLoopMs)) : Number.NaN,
      rounds: xs.map((x) => Math.round(x.wallMs)),
    };
  }
  const flux = summary.fluxloop;
  for (const key of ['promptfoo-file', 'promptfoo-echo'])
    summary[key].ratio = flux.runsPerSecond / summary[key].runsPerSecond;
  const faster =
    summary['promptfoo-file'].runsPerSecond >= summary['promptfoo-echo'].runsPerSecond
      ? 'promptfoo-file'
      : 'promptfoo-echo';
  const complete = problems.length === 0 && cases.every((c) => samples[c.key].length === ROUNDS);
  return {
    inputs: INPUTS,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    warmup: WARMUP,
    promptfooVersion: PROMPTFOO_VERSION,
    promptfoo: { installed: promptfoo.installed, installMs: promptfoo.installMs },
    cases: summary,
    goal: { ratio: GOAL, against: faster, measured: summary[faster].ratio, met: summary[faster].ratio >= GOAL },
    complete,
    problems,
  };
}

function print(r) {
  if (!r.cases) {
    for (const p of r.problems) console.log(`PROBLEM: ${p}`);
    return;
  }
  console.log(
    `Experiment throughput: ${r.inputs} inputs, concurrency ${r.concurrency}, ${r.rounds} rounds (+${r.warmup} ` +
      'warm-up), whole commands wall-clock incl. start-up, medians',
  );
  console.log('                                      wall s    runs/s   in-loop s   fluxloop ×');
  for (const c of Object.values(r.cases)) {
    console.log(
      `${c.label.padEnd(36)} ${(c.wallMs / 1000).toFixed(2).padStart(7)} ${c.runsPerSecond.toFixed(0).padStart(9)} ` +
        `${(c.inLoopMs / 1000).toFixed(2).padStart(10)}   ${c.ratio === undefined ? '         -' : `${c.ratio.toFixed(2).padStart(9)}×`}`,
    );
  }
  console.log('in-loop: from the first run to the last as each tool reports it (summary.json / stats.durationMs)');
  for (const c of Object.values(r.cases)) console.log(`per round, ms: ${c.label}: ${c.rounds.join(', ')}`);
  console.log(
    `goal: fluxloop ≥ ${r.goal.ratio}× promptfoo ${r.promptfooVersion}'s throughput, against the faster promptfoo ` +
      `variant (${r.cases[r.goal.against].label}): ${r.goal.measured.toFixed(2)}× ${r.goal.met ? 'MET' : 'NOT MET'}`,
  );
  if (r.promptfoo.installed) console.log(`promptfoo installed in ${(r.promptfoo.installMs / 1000).toFixed(1)} s`);
  for (const p of r.problems) console.log(`PROBLEM: ${p}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run();
  print(result);
  if (process.env.BENCH_JSON_OUT) fs.writeFileSync(process.env.BENCH_JSON_OUT, JSON.stringify(result, null, 2));
  if (!result.complete) process.exitCode = 1;
}
