import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRecords, schemaProblems } from '../../collector/test/helpers/collector.js';
import { postJson, postTraces, rawConnect, rawStatus, request } from '../../collector/test/helpers/http.js';
import { jsonBody, protobufBody, SpanFactory } from '../../collector/test/helpers/otlp.js';
import { recordBatch } from '../../collector/test/helpers/records.js';
import { cleanup, runCli, serveCli, tempDir } from './helpers/cli.js';

afterEach(cleanup);

const factory = new SpanFactory('cli-svc');

describe('fluxloop collector serve (child process)', () => {
  it('prints where it listens, stores OTLP spans and record batches, and exits 0 on SIGTERM', async () => {
    const out = tempDir();
    const { cli, url } = await serveCli(['--output-dir', out]);
    expect(cli.stderr()).toContain(`records under ${out}`);
    expect(cli.stdout()).toBe('');
    expect((await request(`${url}/health`, { method: 'GET' })).json()).toEqual({ status: 'ok' });
    expect((await postTraces(`${url}/v1/traces`, jsonBody(factory.trace3('json-trace')), 'json')).status).toBe(200);
    expect((await postTraces(`${url}/v1/traces`, protobufBody(factory.trace3('pb-trace')), 'protobuf')).status).toBe(
      200,
    );
    const batch = recordBatch({ serviceName: 'cli-svc', name: 'batched' });
    expect((await postJson(`${url}/v1/fluxloop/records`, batch)).json()).toMatchObject({ stored: true });

    cli.child.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stderr).toContain('SIGTERM: finishing requests under way');
    expect(exit.stderr).toMatch(/collector stopped: 6 spans, 1 record batches stored/);
    const records = readRecords(path.join(out, 'cli-svc'));
    expect(records.traces.map((t) => t.name).sort()).toEqual(['batched', 'json-trace', 'pb-trace']);
    expect(records.observations).toHaveLength(9);
    expect(schemaProblems(records)).toEqual([]);
  });

  /**
   * A record batch whose headers the server has read (it answered 100 Continue) and whose body is half sent when
   * the collector gets SIGTERM; the rest of the body follows once the collector has said it is finishing.
   */
  async function batchUnderWayAtSigterm() {
    const out = tempDir();
    const { cli, port } = await serveCli(['--output-dir', out]);
    const body = Buffer.from(JSON.stringify(recordBatch({ serviceName: 'in-flight', name: 'in-flight' })));
    const client = await rawConnect(port);
    client.write(
      `POST /v1/fluxloop/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await client.waitFor('100 Continue');
    client.write(body.subarray(0, 100));
    cli.child.kill('SIGTERM');
    await cli.waitForStderr(/SIGTERM: finishing/);
    // New connections are refused (or reset) while the request under way is finished.
    await expect(request(`http://127.0.0.1:${port}/health`, { method: 'GET' })).rejects.toThrow(
      /ECONNREFUSED|ECONNRESET/,
    );
    client.write(body.subarray(100));
    await client.waitFor(/"stored":true/);
    const response = client.received().replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
    expect(rawStatus(response)).toBe(200);
    return { cli, client, out, response };
  }

  it('SIGTERM while a batch is still arriving: the request is finished and stored, then exit 0', async () => {
    const { cli, client, out } = await batchUnderWayAtSigterm();
    client.socket.destroy(); // a client that goes away once answered
    const started = Date.now();
    const exit = await cli.exited;
    expect(exit.code, exit.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(exit.stderr).toMatch(/1 record batches stored/);
    expect(readRecords(path.join(out, 'in-flight')).traces.map((t) => t.name)).toEqual(['in-flight']);
  });

  it('SIGTERM while a batch is still arriving: its answer closes the connection, and the process exits promptly', async () => {
    const { cli, client, response } = await batchUnderWayAtSigterm();
    const answered = Date.now();
    expect(response.toLowerCase()).toContain('connection: close');
    const exit = await Promise.race([cli.exited, new Promise<undefined>((r) => setTimeout(r, 2_000))]);
    expect(exit, `still running ${Date.now() - answered} ms after answering`).toBeDefined();
    expect(await client.closed).toBeGreaterThan(0);
  });

  it('SIGTERM right after a batch was sent: exit 0 with the batch written', async () => {
    const out = tempDir();
    const { cli, url } = await serveCli(['--output-dir', out]);
    const batch = recordBatch({ serviceName: 'quick', name: 'quick' });
    const answered = await postJson(`${url}/v1/fluxloop/records`, batch);
    cli.child.kill('SIGTERM');
    const exit = await cli.exited;
    expect(answered.status).toBe(200);
    expect(exit.code, exit.stderr).toBe(0);
    expect(readRecords(path.join(out, 'quick')).traces.map((t) => t.name)).toEqual(['quick']);
  });

  it('an idle keep-alive connection does not hold up the exit', async () => {
    const { cli, url } = await serveCli(['--output-dir', tempDir()]);
    const agent = new http.Agent({ keepAlive: true });
    expect((await request(`${url}/health`, { method: 'GET', agent })).status).toBe(200);
    const started = Date.now();
    cli.child.kill('SIGTERM');
    const exit = await cli.exited;
    agent.destroy();
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('SIGINT exits 130, with everything written', async () => {
    const out = tempDir();
    const { cli, url } = await serveCli(['--output-dir', out]);
    expect((await postTraces(`${url}/v1/traces`, jsonBody(factory.trace3('interrupted')), 'json')).status).toBe(200);
    cli.child.kill('SIGINT');
    const exit = await cli.exited;
    expect(exit.code, exit.stderr).toBe(130);
    expect(exit.stderr).toContain('SIGINT: finishing requests under way');
    expect(readRecords(path.join(out, 'cli-svc')).observations).toHaveLength(3);
  });

  it('FLUXLOOP_COLLECTOR_TOKEN from the environment is enforced; /health stays open', async () => {
    const { cli, url } = await serveCli(['--output-dir', tempDir()], {
      env: { FLUXLOOP_COLLECTOR_TOKEN: 'env-token' },
    });
    expect(cli.stderr()).toContain('token required');
    const body = jsonBody(factory.trace3('guarded'));
    const refused = await postTraces(`${url}/v1/traces`, body, 'json');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect((await postJson(`${url}/v1/fluxloop/records`, recordBatch())).status).toBe(401);
    expect((await postTraces(`${url}/v1/traces`, body, 'json', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await postTraces(`${url}/v1/traces`, body, 'json', { authorization: 'Bearer env-token' })).status).toBe(
      200,
    );
    expect((await request(`${url}/health`, { method: 'GET' })).status).toBe(200);
  });

  it('--token wins over FLUXLOOP_COLLECTOR_TOKEN', async () => {
    const { url } = await serveCli(['--output-dir', tempDir(), '--token', 'flag-token'], {
      env: { FLUXLOOP_COLLECTOR_TOKEN: 'env-token' },
    });
    const body = jsonBody(factory.trace3('flag'));
    expect((await postTraces(`${url}/v1/traces`, body, 'json', { authorization: 'Bearer env-token' })).status).toBe(
      401,
    );
    expect((await postTraces(`${url}/v1/traces`, body, 'json', { authorization: 'Bearer flag-token' })).status).toBe(
      200,
    );
  });

  it('writes under FLUXLOOP_OUTPUT_DIR without --output-dir, and under ./traces without either', async () => {
    const envDir = tempDir();
    const withEnv = await serveCli([], { env: { FLUXLOOP_OUTPUT_DIR: envDir } });
    const cwd = tempDir();
    const plain = await serveCli([], { cwd });
    for (const { url } of [withEnv, plain]) {
      expect((await postTraces(`${url}/v1/traces`, jsonBody(factory.trace3('where')), 'json')).status).toBe(200);
    }
    withEnv.cli.child.kill('SIGTERM');
    plain.cli.child.kill('SIGTERM');
    expect((await withEnv.cli.exited).code).toBe(0);
    expect((await plain.cli.exited).code).toBe(0);
    expect(readRecords(path.join(envDir, 'cli-svc')).traces).toHaveLength(1);
    expect(readRecords(path.join(cwd, 'traces', 'cli-svc')).traces).toHaveLength(1);
  });

  it('--max-body-mb sets the body limit', async () => {
    const { url } = await serveCli(['--output-dir', tempDir(), '--max-body-mb', '0.01']);
    const reply = await postTraces(`${url}/v1/traces`, Buffer.alloc(20_000, 0x20), 'json');
    expect(reply.status).toBe(413);
    expect(reply.json<{ message: string }>().message).toContain(String(Math.round(0.01 * 1024 * 1024)));
  });
});

describe('fluxloop usage errors and informational commands (child process)', () => {
  it('--port abc exits 2 with a message naming the option', async () => {
    const exit = await runCli(['collector', 'serve', '--port', 'abc']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain("option '--port <port>' argument 'abc' is invalid");
    expect(exit.stdout).toBe('');
  });

  it('a port already in use exits 2 with a message saying so', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const exit = await runCli(['collector', 'serve', '--port', String(port), '--output-dir', tempDir()]);
      expect(exit.code).toBe(2);
      expect(exit.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(exit.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('fluxloop --help exits 0 and lists the commands on stdout', async () => {
    const exit = await runCli(['--help']);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/^Usage: fluxloop/);
    expect(exit.stdout).toContain('collector');
  });

  it('fluxloop --version exits 0 and prints the version on stdout', async () => {
    const exit = await runCli(['--version']);
    expect(exit.code).toBe(0);
    expect(exit.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command exits 2', async () => {
    const exit = await runCli(['frobnicate']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain("unknown command 'frobnicate'");
  });
});
