import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runCli, runMain, tempDir } from './helpers/cli.js';

afterEach(cleanup);

const WORKSPACE_FLUXLOOP = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../node_modules/@fluxloop',
);

/** `fluxloop init project agent` in a temp folder, with node_modules/@fluxloop as npm install would give it. */
async function project(): Promise<string> {
  const cwd = tempDir();
  expect((await runMain(['init', 'project', 'agent'], { cwd })).code).toBe(ExitCode.ok);
  const root = path.join(cwd, 'agent');
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(WORKSPACE_FLUXLOOP, path.join(root, 'node_modules/@fluxloop'));
  return root;
}

interface Report {
  ok: boolean;
  checks: { name: string; status: string; detail: string; hint?: string }[];
}

describe('fluxloop doctor', () => {
  it('a healthy project: a table of checks on stdout, exit 0', async () => {
    const root = await project();
    const r = await runMain(['doctor'], { cwd: root });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines.slice(0, 13).map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['ok', 'node'],
      ['ok', 'packages'],
      ['ok', 'project'],
      ['ok', 'project sdk'],
      ['ok', 'configs/project.yaml'],
      ['ok', 'configs/input.yaml'],
      ['ok', 'configs/simulation.yaml'],
      ['ok', 'configs/evaluation.yaml'],
      ['ok', 'inputs'],
      ['ok', 'target'],
      ['skip', 'replay'],
      ['skip', 'llm provider'],
      ['skip', 'collector'],
    ]);
    expect(lines.slice(9, 10)).toEqual(['ok    target                   ./agent.ts:run is a function']);
    expect(lines.slice(13)).toEqual(['', 'No problems found.', '']);
  });

  it('--json prints only the report as JSON on stdout; a failed check is exit 1 with a hint', async () => {
    const root = await project();
    fs.rmSync(path.join(root, 'agent.ts'));
    const r = await runMain(['doctor', '--json'], { cwd: root });
    expect(r.code).toBe(ExitCode.gateFailed);
    expect(r.err).toBe('');
    const report = JSON.parse(r.out) as Report;
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === 'target')).toEqual({
      name: 'target',
      status: 'fail',
      detail: `./agent.ts:run: ./agent.ts not found (looked for ${path.join(root, 'agent.ts')})`,
      hint: "create it, or point runner.target in configs/simulation.yaml at your agent's module",
    });
    for (const check of report.checks) {
      expect(Object.keys(check).sort()).toEqual(
        check.status === 'ok' || check.status === 'skip'
          ? ['detail', 'name', 'status']
          : ['detail', 'hint', 'name', 'status'],
      );
    }
  });

  it('the table shows hints under failed checks and counts failures', async () => {
    const root = await project();
    fs.writeFileSync(path.join(root, 'configs/evaluation.yaml'), 'evaluators: [{ name: x }]\n');
    const r = await runMain(['doctor'], { cwd: root });
    expect(r.code).toBe(ExitCode.gateFailed);
    const lines = r.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('fail  configs/evaluation.yaml'));
    expect(lines.slice(at, at + 2)).toEqual([
      'fail  configs/evaluation.yaml  1 problem: 1:13: evaluators: must be empty (evaluators: []): evaluation is not built yet, so evaluators written here would be ignored',
      '      hint: fix configs/evaluation.yaml; the schema named on its first line lists the keys and values allowed',
    ]);
    expect(lines.slice(-3)).toEqual(['', '1 check failed.', '']);
  });

  it('outside a project still checks the environment; the project not found is exit 1, not a crash', async () => {
    const r = await runCli(['doctor', '--json'], { cwd: tempDir(), timeoutMs: 30_000 });
    expect(r.code).toBe(ExitCode.gateFailed);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.ok).toBe(false);
    expect(report.checks.slice(0, 3).map((c) => [c.name, c.status])).toEqual([
      ['node', 'ok'],
      ['packages', 'ok'],
      ['project', 'fail'],
    ]);
  });

  it('--project points at a project from elsewhere; colour only when forced, never with plain output', async () => {
    const root = await project();
    const plain = await runMain(['doctor', '--project', root], { cwd: tempDir() });
    expect(plain.code).toBe(ExitCode.ok);
    expect(plain.out).not.toContain('\u001b[');
    const coloured = await runMain(['doctor', '--project', root], { cwd: tempDir(), env: { FORCE_COLOR: '1' } });
    expect(coloured.out).toContain('\u001b[32mok  \u001b[39m  node');
    expect(coloured.out).toContain('\u001b[2mskip\u001b[22m  llm provider');
  });
});
