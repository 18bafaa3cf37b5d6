import path from 'node:path';
import type { ExperimentResult, ExperimentStarted, RunReport } from '@fluxloop/core';
import type { Style } from './style.js';

/** `850 ms`, `4.2 s`, `3m 05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

const integer = new Intl.NumberFormat('en-US');

/** A path for the terminal: relative to the working directory when it is inside it, with a trailing slash. */
export function displayDir(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
  return `${shown}${path.sep}`;
}

/** One line of text from any input, cut to `max` characters. */
export function preview(value: unknown, max = 48): string {
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A replayed run's output is the calls the agent made through recorded callables: the last one (the answer,
 * usually) says most, e.g. `args.0.send("…") (2 calls)`.
 */
function outputShown(output: unknown): unknown {
  const calls = (output as { calls?: { callable: string; args: unknown[] }[] } | null)?.calls;
  if (!Array.isArray(calls) || calls.length === 0) return output;
  const last = calls.at(-1)!;
  const args = last.args.map((a) => JSON.stringify(a) ?? String(a)).join(', ');
  return `${last.callable}(${args})${calls.length > 1 ? ` (${calls.length} calls)` : ''}`;
}

export function startedText(info: ExperimentStarted, cwd: string, style: Style): string {
  const runs = `${integer.format(info.totalRuns)} run${info.totalRuns === 1 ? '' : 's'}`;
  const recordings =
    info.recordings === undefined
      ? ''
      : ` × ${integer.format(info.recordings)} recorded call${info.recordings === 1 ? '' : 's'}`;
  const shape = `${integer.format(info.entries)} input${info.entries === 1 ? '' : 's'} × ${info.iterations} iteration${info.iterations === 1 ? '' : 's'}${recordings}`;
  const lines = [
    `${style.bold(`Experiment ${info.experimentId}`)} (${info.name}): ${runs} (${shape}) of ${info.target}, ` +
      `${info.concurrency} at a time`,
    `  writing ${displayDir(info.dir, cwd)}`,
  ];
  if (info.otlpEndpoint) lines.push(`  OTLP receiver for the target's spans: ${info.otlpEndpoint}`);
  return `${lines.join('\n')}\n`;
}

/** --verbose: one line per finished run. */
export function runLine(run: RunReport, style: Style): string {
  const mark = run.success ? style.green('✓') : style.red('✗');
  const persona = run.persona ? ` ${run.persona}` : '';
  const attempts = run.attempts > 1 ? ` (${run.attempts} attempts)` : '';
  const head = `${mark} ${run.runId}${persona} ${formatDuration(run.durationMs)}${attempts}`;
  const tail = run.success
    ? style.dim(`${preview(run.input, 40)} → ${preview(outputShown(run.output), 60)}`)
    : style.red(preview(run.error ?? run.status, 120));
  return `${head}  ${tail}\n`;
}

/** The summary printed at the end on stderr: runs, failures, latency, tokens and where the files are. */
export function summaryText(result: ExperimentResult, cwd: string, style: Style): string {
  const { results, status } = result.summary;
  const rate = `${(results.success_rate * 100).toFixed(1)}%`;
  const failed = results.failed > 0 ? style.red(`${results.failed} failed`) : '0 failed';
  const head =
    status === 'interrupted'
      ? style.yellow(`Interrupted: ${results.total_runs} runs recorded`)
      : results.failed > 0
        ? style.red(`✗ ${results.total_runs} runs`)
        : style.green(`✓ ${results.total_runs} runs`);
  const d = results.duration;
  const t = results.token_usage;
  const lines = [
    `${head}: ${results.successful} succeeded, ${failed} (success rate ${rate})`,
    `  latency  p50 ${formatDuration(d.p50_ms)} · p95 ${formatDuration(d.p95_ms)} · max ${formatDuration(d.max_ms)}`,
    `  tokens   ${integer.format(t.total_tokens)} (${integer.format(t.input_tokens)} in, ${integer.format(t.output_tokens)} out)`,
    `  results  ${displayDir(result.dir, cwd)}`,
  ];
  return `${lines.join('\n')}\n`;
}
