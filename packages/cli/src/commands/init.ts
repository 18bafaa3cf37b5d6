import path from 'node:path';
import { type InitResult, initProject } from '@fluxloop/core';
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { styleFor } from '../style.js';
import { VERSION } from '../version.js';

export interface InitOptions {
  force?: boolean;
}

/** `fluxloop init project [name]`: ./NAME with a name, the current folder without one. */
export function registerInit(program: Command, ctx: CommandContext): void {
  const init = program.command('init').description('create FluxLoop files');
  init
    .command('project [name]')
    .description(
      'scaffold a project (configs, .env, recordings/, an example agent) in ./NAME, or in this folder without a name',
    )
    .option('--force', 'overwrite configs and agent.ts when they exist (default: refuse and name them)')
    .action((name: string | undefined, options: InitOptions) => ctx.run(initCommand(name, options, ctx.io)));
}

export async function initCommand(name: string | undefined, options: InitOptions, io: Io): Promise<number> {
  const result = initProject({
    dir: name === undefined ? io.cwd : path.resolve(io.cwd, name),
    ...(name !== undefined ? { name } : {}),
    force: options.force === true,
    cliVersion: VERSION,
  });
  io.err(report(result, name !== undefined, io));
  return ExitCode.ok;
}

function report(result: InitResult, inNewFolder: boolean, io: Io): string {
  const style = styleFor(io);
  const width = Math.max(...result.files.map((f) => f.action.length));
  const lines = [`${style.bold(`Created FluxLoop project ${result.name}`)} in ${result.root}`];
  for (const file of result.files) {
    const action = file.action.padEnd(width);
    const shown = file.action === 'skipped' ? style.dim(action) : style.green(action);
    lines.push(`  ${shown}  ${file.path}${file.reason ? style.dim(` (${file.reason})`) : ''}`);
  }
  lines.push('', style.bold('Next steps:'));
  if (inNewFolder) lines.push(`  cd ${path.basename(result.root)}`);
  lines.push(
    '  npm install',
    `  npx fluxloop doctor            ${style.dim('# check the setup')}`,
    `  npx fluxloop generate inputs   ${style.dim('# personas x base inputs -> inputs/generated.yaml')}`,
    `  npx fluxloop run experiment    ${style.dim('# run agent.ts over the inputs -> experiments/')}`,
    '',
  );
  return lines.join('\n');
}
