import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ExitCode } from 'fluxloop';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runMain, tempDir } from './helpers/cli.js';

afterEach(cleanup);

describe('main() in-process: help, version and usage errors', () => {
  it('--version prints the version on stdout, exit 0', async () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const r = await runMain([flag]);
      expect(r).toEqual({ code: ExitCode.ok, out: `${pkg.version}\n`, err: '' });
    }
  });

  it('--help lists the commands on stdout, exit 0', async () => {
    const r = await runMain(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: fluxloop \[options\] \[command\]/);
    expect(r.out).toContain('collector');
    expect(r.err).toBe('');
  });

  it('collector serve --help documents every option, exit 0', async () => {
    const r = await runMain(['collector', 'serve', '--help']);
    expect(r.code).toBe(0);
    for (const option of [
      '--port <port>',
      '--host <host>',
      '--output-dir <dir>',
      '--token <token>',
      '--max-body-mb <mb>',
    ]) {
      expect(r.out).toContain(option);
    }
    expect(r.out).toContain('FLUXLOOP_COLLECTOR_TOKEN');
    expect(r.out).toContain('FLUXLOOP_OUTPUT_DIR');
  });

  it('no command prints the usage on stderr, exit 2', async () => {
    const r = await runMain([]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.out).toBe('');
    expect(r.err).toContain('Usage: fluxloop');
  });

  const usage: [string, string[], string][] = [
    ['an unknown command', ['frobnicate'], "error: unknown command 'frobnicate'"],
    ['an unknown collector subcommand', ['collector', 'start'], "error: unknown command 'start'"],
    ['an unknown option', ['collector', 'serve', '--nope'], "error: unknown option '--nope'"],
    ['--port abc', ['collector', 'serve', '--port', 'abc'], "option '--port <port>' argument 'abc' is invalid"],
    ['--port 65536', ['collector', 'serve', '--port', '65536'], "option '--port <port>' argument '65536' is invalid"],
    ['--port -1', ['collector', 'serve', '--port', '-1'], "'--port <port>' argument '-1' is invalid"],
    ['--port 80.5', ['collector', 'serve', '--port', '80.5'], 'expected a port from 0 to 65535'],
    ['--port without a value', ['collector', 'serve', '--port'], "option '--port <port>' argument missing"],
    ['--max-body-mb 0', ['collector', 'serve', '--max-body-mb', '0'], "'--max-body-mb <mb>' argument '0' is invalid"],
    ['--max-body-mb lots', ['collector', 'serve', '--max-body-mb', 'lots'], 'expected a positive number'],
  ];
  for (const [what, args, message] of usage) {
    it(`${what}: exit 2 with a message saying what was wrong`, async () => {
      const r = await runMain(args);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.out).toBe('');
      expect(r.err).toContain(message);
      expect(r.err).toContain('fluxloop --help');
    });
  }

  it('a port already in use: exit 2 saying so, without waiting for a signal', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const r = await runMain(['collector', 'serve', '--port', String(port)]);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.err).toBe(`fluxloop: port ${port} on 127.0.0.1 is in use: choose another with --port\n`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('--host that is not an address of this machine: exit 2 naming the option', async () => {
    const r = await runMain(['collector', 'serve', '--port', '0', '--host', '192.0.2.1']); // TEST-NET-1
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toContain('cannot bind to --host 192.0.2.1');
  });

  it('an --output-dir that is a file: exit 2 with a message naming the option, no stack trace', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'not-a-dir'), 'x');
    const r = await runMain(['collector', 'serve', '--port', '0', '--output-dir', 'not-a-dir'], { cwd });
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err).toContain('--output-dir');
    expect(r.code).toBe(ExitCode.usage);
  });
});
