import { type CheckResult, type DoctorReport, runDoctor } from '@fluxloop/core';
import type { Command } from 'commander';
import { type CommandContext, withProjectOption } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { type Style, styleFor } from '../style.js';
import { VERSION } from '../version.js';

export interface DoctorCommandOptions {
  json?: boolean;
  project?: string;
}

/** `fluxloop doctor`: exit 0 when nothing failed, 1 when a check failed. */
export function registerDoctor(program: Command, ctx: CommandContext): void {
  const command = program
    .command('doctor')
    .description('check Node.js, the FluxLoop packages, the project, its configs, inputs, target and connections')
    .option('--json', 'print { ok, checks: [{ name, status, detail, hint? }] } as JSON on stdout');
  withProjectOption(command).action((options: DoctorCommandOptions) => ctx.run(doctorCommand(options, ctx.io)));
}

export async function doctorCommand(options: DoctorCommandOptions, io: Io): Promise<number> {
  const report = await runDoctor({
    cwd: io.cwd,
    env: io.env,
    cliVersion: VERSION,
    ...(options.project !== undefined ? { projectDir: options.project } : {}),
  });
  io.out(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, styleFor(io)));
  return report.ok ? ExitCode.ok : ExitCode.gateFailed;
}

/**
 * Rows of cells padded to their column's widest cell; `paint` colours a cell after padding. A row's last cell is
 * never padded and does not widen its column, so a short row can end in a long note.
 */
export function alignColumns(
  rows: string[][],
  paint: (cell: string, row: number, column: number) => string = (c) => c,
) {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row, r) =>
    row
      .map((cell, i) => paint(i === row.length - 1 ? cell : cell.padEnd(widths[i]!), r, i))
      .join('  ')
      .trimEnd(),
  );
}

const STATUS_COLOUR: Record<CheckResult['status'], keyof Style> = {
  ok: 'green',
  warn: 'yellow',
  fail: 'red',
  skip: 'dim',
};

export function renderReport(report: DoctorReport, style: Style): string {
  const rows = report.checks.map((c) => [c.status, c.name, c.detail]);
  const lines = alignColumns(rows, (cell, r, column) =>
    column === 0 ? style[STATUS_COLOUR[report.checks[r]!.status]](cell) : cell,
  );
  const indent = ' '.repeat(Math.max(...rows.map((r) => r[0]!.length)) + 2);
  const out: string[] = [];
  report.checks.forEach((check, i) => {
    out.push(lines[i]!);
    if (check.hint) out.push(`${indent}${style.dim(`hint: ${check.hint}`)}`);
  });
  const count = (status: CheckResult['status']) => report.checks.filter((c) => c.status === status).length;
  const failed = count('fail');
  const warned = count('warn');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out.push(
    '',
    failed
      ? style.red(`${plural(failed, 'check')} failed${warned ? `, ${plural(warned, 'warning')}` : ''}.`)
      : style.green(`No problems found${warned ? ` (${plural(warned, 'warning')})` : ''}.`),
  );
  return `${out.join('\n')}\n`;
}
