import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runCli, runMain, tempDir } from './helpers/cli.js';

afterEach(cleanup);

const FILES = [
  'configs/project.yaml',
  'configs/input.yaml',
  'configs/simulation.yaml',
  'configs/evaluation.yaml',
  'agent.ts',
  '.env',
  '.gitignore',
  'README.md',
  'package.json',
  'recordings/.gitkeep',
];

const NEXT_STEPS = [
  'npm install',
  'npx fluxloop doctor            # check the setup',
  'npx fluxloop generate inputs   # personas x base inputs -> inputs/generated.yaml',
  'npx fluxloop run experiment    # run agent.ts over the inputs -> experiments/',
];

/** Every file under dir with its content (to show that a refused init changed nothing). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      out[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.readFileSync(
        path.join(entry.parentPath, entry.name),
        'utf8',
      );
  }
  return out;
}

describe('fluxloop init project', () => {
  it('with a name creates ./NAME and prints what it created and the next steps on stderr', async () => {
    const cwd = tempDir();
    const r = await runMain(['init', 'project', 'support-bot'], { cwd });
    const root = path.join(cwd, 'support-bot');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toEqual([
      `Created FluxLoop project support-bot in ${root}`,
      ...FILES.map((f) => `  created  ${f}`),
      '',
      'Next steps:',
      '  cd support-bot',
      ...NEXT_STEPS.map((s) => `  ${s}`),
      '',
    ]);
    expect(Object.keys(tree(root)).sort()).toEqual([...FILES].sort());
  });

  it('without a name fills the current folder, named after it (no cd step)', async () => {
    const cwd = path.join(tempDir(), 'shop-agent');
    fs.mkdirSync(cwd);
    const r = await runMain(['init', 'project'], { cwd });
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toContain(`Created FluxLoop project shop-agent in ${cwd}\n`);
    expect(r.err).not.toContain('cd ');
    expect(fs.readFileSync(path.join(cwd, 'configs/project.yaml'), 'utf8')).toContain('name: "shop-agent"');
  });

  it('refuses to overwrite, listing the files, exit 2, writing nothing; --force overwrites', async () => {
    const cwd = path.join(tempDir(), 'existing-agent');
    fs.mkdirSync(path.join(cwd, 'configs'), { recursive: true });
    fs.writeFileSync(path.join(cwd, 'configs/simulation.yaml'), 'runner:\n  target: ./mine.ts\n');
    fs.writeFileSync(path.join(cwd, 'agent.ts'), 'export const mine = 1;\n');
    fs.writeFileSync(path.join(cwd, 'README.md'), '# mine\n');
    const before = tree(cwd);
    const refused = await runMain(['init', 'project'], { cwd });
    expect(refused).toEqual({
      code: ExitCode.usage,
      out: '',
      err:
        `fluxloop: ${cwd} already holds files that init would overwrite; nothing was written:\n` +
        '  configs/simulation.yaml\n  agent.ts\nMove them away, or run again with --force to overwrite them.\n',
    });
    expect(tree(cwd)).toEqual(before);

    const forced = await runMain(['init', 'project', '--force'], { cwd });
    expect(forced.code).toBe(ExitCode.ok);
    expect(forced.err).toContain('  overwritten  configs/simulation.yaml\n');
    expect(forced.err).toContain('  overwritten  agent.ts\n');
    expect(forced.err).toContain('  skipped      README.md (exists; left as it is)\n');
    expect(fs.readFileSync(path.join(cwd, 'configs/simulation.yaml'), 'utf8')).toContain('target: ./agent.ts:run');
    expect(fs.readFileSync(path.join(cwd, 'README.md'), 'utf8')).toBe('# mine\n');
  });

  it('a bad name is exit 2 with what is wrong, and creates nothing', async () => {
    const cwd = tempDir();
    const r = await runMain(['init', 'project', 'My Agent'], { cwd });
    expect(r).toEqual({
      code: ExitCode.usage,
      out: '',
      err:
        'fluxloop: cannot use "My Agent" as the project name: it has capital letters; npm package names are ' +
        'lowercase (a project name is a folder name and an npm package name)\n',
    });
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('runs as a real process: exit codes reach the shell', async () => {
    const cwd = tempDir();
    expect((await runCli(['init', 'project', 'bin-agent'], { cwd, timeoutMs: 30_000 })).code).toBe(ExitCode.ok);
    const again = await runCli(['init', 'project', 'bin-agent'], { cwd, timeoutMs: 30_000 });
    expect(again.code).toBe(ExitCode.usage);
    expect(again.stderr).toContain('Move them away, or run again with --force to overwrite them.');
  });

  it('--help documents the name argument and --force', async () => {
    const r = await runMain(['init', 'project', '--help']);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toMatch(/^Usage: fluxloop init project \[options\] \[name\]/);
    expect(r.out).toContain('--force');
  });
});
