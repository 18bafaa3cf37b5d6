import path from 'node:path';
import {
  checkStrategies,
  describeRequest,
  type GeneratedInputs,
  type GenerationReporter,
  type InputPlan,
  MAX_SEED,
  MAX_VARIATIONS,
  MODES,
  planInputs,
  type RequestStep,
  renderInputsFile,
  resolveApiKey,
  runPlan,
  STRATEGIES,
  UserError,
  writeInputsFile,
} from '@fluxloop/core';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type CommandContext, openProject, withProjectOption } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { styleFor } from '../style.js';

interface GenerateInputsOptions {
  project?: string;
  seed?: number;
  mode?: string;
  strategies?: string[];
  variations?: number;
  limit?: number;
  dryRun?: boolean;
  output?: string;
}

const integer = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
  }
  return n;
};

function strategyList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    return checkStrategies(names, '');
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `fluxloop generate inputs`: flags override input_generation; progress on stderr, the result line on stdout. */
export function registerGenerate(program: Command, ctx: CommandContext): void {
  const generate = program.command('generate').description('generate project files');
  withProjectOption(
    generate
      .command('inputs')
      .description('personas x base inputs x strategies -> inputs/generated.yaml (deterministic or llm mode)')
      .option('--seed <n>', 'seed (overrides input_generation.seed)', integer(0, MAX_SEED))
      .addOption(new Option('--mode <mode>', 'deterministic rules or an llm').choices(MODES))
      .option('--strategies <list>', `comma-separated, from: ${STRATEGIES.join(', ')}`, strategyList)
      .option('--variations <n>', 'variations per base input, persona and strategy', integer(1, MAX_VARIATIONS))
      .option('--limit <n>', 'write at most N entries (llm mode: make only the requests they need)', integer(1, 1e9))
      .option('--dry-run', 'print the plan and write nothing (llm mode: no request is made)')
      .option('--output <file>', 'file to write (default: inputs_file of configs/input.yaml)'),
  ).action((options: GenerateInputsOptions) => ctx.run(generateInputs(options, ctx.io)));
}

/** How a path is shown: relative to the project when inside it (as configs write it), else absolute. */
function display(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

const byStrategy = (result: GeneratedInputs) =>
  Object.entries(result.stats.byStrategy)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');

export async function generateInputs(options: GenerateInputsOptions, io: Io): Promise<number> {
  const project = openProject(io, options);
  const config = project.need('input');
  const plan = planInputs(config, {
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
    ...(options.strategies !== undefined ? { strategies: options.strategies } : {}),
    ...(options.variations !== undefined ? { variations: options.variations } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  });
  const target = options.output ? path.resolve(io.cwd, options.output) : project.resolve(config.inputs_file);
  const shown = display(project.root, target);
  if (options.dryRun) {
    io.out(formatPlan(plan, shown, project.env.vars, (i) => config.base_inputs[i]?.input ?? ''));
    return ExitCode.ok;
  }
  if (plan.entries === 0) throw new UserError('nothing to generate: the plan has no entries');
  if (plan.llm) resolveApiKey(plan.llm, project.env.vars); // a missing key fails before any output or request
  const style = styleFor(io);
  const how = plan.llm ? `${plan.llm.provider} ${plan.llm.model}, ${plan.requests} requests` : 'deterministic';
  io.err(`${style.dim(`generating ${plan.entries} inputs (${how}, seed ${plan.generation.seed})...`)}\n`);
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  let result: GeneratedInputs;
  try {
    result = await runPlan(config, plan, {
      env: project.env.vars,
      reporter: progressReporter(io, plan),
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', interrupt);
  }
  writeInputsFile(target, renderInputsFile(result));
  const { duplicatesDropped, duplicatesByStrategy, unchanged } = result.stats;
  if (duplicatesDropped) {
    const which = Object.entries(duplicatesByStrategy)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    io.err(
      `${style.yellow('note:')} dropped ${duplicatesDropped} duplicate ${duplicatesDropped === 1 ? 'entry' : 'entries'} ` +
        `(${which}): the text leaves those strategies too little to vary\n`,
    );
  }
  if (unchanged) {
    io.err(`${style.yellow('note:')} ${unchanged} entries are the same as their base input (nothing to change)\n`);
  }
  io.out(`wrote ${result.entries.length} inputs to ${shown} (by strategy: ${byStrategy(result)})\n`);
  return ExitCode.ok;
}

/** llm mode: a line per finished request (or one updating line on a terminal) and each retry; quiet otherwise. */
function progressReporter(io: Io, plan: InputPlan): GenerationReporter {
  if (!plan.llm) return {};
  const tty = io.errIsTTY === true;
  return {
    progress: (done, total) => {
      if (tty) io.err(`\r${done}/${total} requests done${done === total ? '\n' : ''}`);
      else io.err(`request ${done}/${total} done\n`);
    },
    retry: (what, attempt, delayMs, reason) => {
      io.err(
        `${tty ? '\n' : ''}retrying ${what} in ${(delayMs / 1000).toFixed(1)}s (attempt ${attempt + 1}): ${reason}\n`,
      );
    },
  };
}

const abbreviate = (text: string, max = 160) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
};

/** The --dry-run report: what would be requested and written; never the key, only whether it is set. */
export function formatPlan(
  plan: InputPlan,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  baseInput: (index: number) => string,
): string {
  const g = plan.generation;
  const lines: string[] = [];
  const cut = plan.cutByLimit ? ` (--limit ${plan.limit}: ${plan.cutByLimit} left out)` : '';
  if (plan.llm) {
    const key = plan.llm.keyEnv
      ? `${plan.llm.keyEnv} ${env[plan.llm.keyEnv]?.trim() ? 'is set' : 'is NOT set: set it before running'}`
      : 'none (openai_compatible without api_key_env)';
    lines.push(
      `dry run: llm mode, ${plan.llm.provider} ${plan.llm.model}${plan.llm.baseUrl ? ` at ${plan.llm.baseUrl}` : ''}, seed ${g.seed}; no request made`,
      `  ${plan.requests} requests, ${plan.entries} entries expected${cut}`,
      `  strategies: ${g.strategies.join(', ')}; ${g.variations_per_input} variations per request`,
      `  concurrency ${plan.llm.concurrency}, max_retries ${plan.llm.maxRetries}, timeout ${plan.llm.timeoutMs / 1000}s`,
      `  API key: ${key}`,
      `  would write ${file}`,
    );
    const requests = plan.steps.filter((s): s is RequestStep => s.kind === 'request');
    if (requests[0]) lines.push('', `system prompt: ${abbreviate(requests[0].prompt.system)}`);
    requests.forEach((step, i) => {
      lines.push(
        '',
        `request ${i + 1}/${requests.length}: ${describeRequest(step)}, ${step.count} variation${step.count === 1 ? '' : 's'}`,
        `  input: ${abbreviate(baseInput(step.baseIndex), 100)}`,
        `  prompt (${step.prompt.user.length} chars): ${abbreviate(step.prompt.user)}`,
      );
    });
  } else {
    lines.push(
      `dry run: deterministic mode, seed ${g.seed}; nothing written`,
      `  ${plan.entries} entries expected${cut}, before duplicates are dropped`,
      `  strategies: ${g.strategies.join(', ')}; ${g.variations_per_input} variations each${g.include_base_inputs ? '; base inputs included' : ''}`,
      `  would write ${file}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
