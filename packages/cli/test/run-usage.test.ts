import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runMain, tempDir } from './helpers/cli.js';

afterEach(cleanup);

describe('fluxloop run experiment: usage (in-process)', () => {
  it('--help documents every flag', async () => {
    const r = await runMain(['run', 'experiment', '--help']);
    expect(r.code).toBe(ExitCode.ok);
    for (const flag of [
      '--iterations <n>',
      '--concurrency <n>',
      '--timeout <seconds>',
      '--retries <n>',
      '--otlp-port <port>',
      '--name <name>',
      '--output-dir <dir>',
      '--fail-on-errors',
      '--no-fail-on-errors',
      '--verbose',
      '--json',
      '--project <dir>',
    ]) {
      expect(r.out).toContain(flag);
    }
  });

  const bad: [string[], string][] = [
    [['--iterations', '0'], "option '--iterations <n>' argument '0' is invalid. expected an integer of at least 1"],
    [['--iterations', '1.5'], "option '--iterations <n>' argument '1.5' is invalid"],
    [['--concurrency', '2000'], 'expected an integer from 1 to 1024'],
    [['--timeout', 'soon'], 'expected a number of seconds above 0'],
    [['--timeout', '0'], 'expected a number of seconds above 0'],
    [['--retries', '11'], 'expected an integer from 0 to 10'],
    [['--otlp-port', '70000'], 'expected a port from 0 to 65535'],
    [['--name', ' '], "option '--name <name>' argument ' ' is invalid. expected a non-empty value"],
  ];
  for (const [args, message] of bad) {
    it(`${args.join(' ')}: exit 2 saying what was expected`, async () => {
      const r = await runMain(['run', 'experiment', ...args]);
      expect([r.code, r.out]).toEqual([ExitCode.usage, '']);
      expect(r.err).toContain(message);
    });
  }

  it('outside a project: exit 2 saying where it looked and how to make one', async () => {
    const cwd = tempDir();
    const r = await runMain(['run', 'experiment'], { cwd });
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toContain(`no configs/project.yaml in ${cwd} or any folder above it`);
  });
});
