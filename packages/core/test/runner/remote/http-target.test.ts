// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the config placeholder syntax under test.
import { describe, expect, it } from 'vitest';
import { RemoteRunError } from '../../../src/runner/remote/index.js';
import { httpConfig } from './helpers/environment.js';
import { type Handler, httpServer, sendJson } from './helpers/http-server.js';
import { testRun } from './helpers/run-context.js';
import { httpTarget } from './helpers/targets.js';
import { waitUntil } from './helpers/wait.js';

const CHAT_COMPLETION = {
  id: 'chatcmpl-1',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' } }],
  usage: { prompt_tokens: 3, completion_tokens: 2 },
};

/** A server answering with `handler`, and an HTTP target pointed at its /chat. */
async function setup(handler: Handler, http: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const server = await httpServer(handler);
  const { config, env: targetEnv } = httpConfig({ url: `${server.url}/chat`, ...http }, env);
  return { server, target: httpTarget(config, targetEnv) };
}

describe('json responses', () => {
  it('takes the value at output_path, a dotted path with array indices', async () => {
    const { target } = await setup((_req, res) => sendJson(res, CHAT_COMPLETION), {
      response: { output_path: 'choices.0.message.content' },
    });
    expect(await target.invoke('hi', testRun())).toBe('Hello there');
  });

  it('takes the whole body without output_path', async () => {
    const { target } = await setup((_req, res) => sendJson(res, CHAT_COMPLETION));
    expect(await target.invoke('hi', testRun())).toEqual(CHAT_COMPLETION);
  });

  it.each([
    [
      'choices.0.text',
      'response.output_path "choices.0.text": "choices.0" has no key "text": its keys are index, message',
    ],
    ['choices.2.message', 'response.output_path "choices.2.message": "choices" is an array of 1, it has no index 2'],
    ['id.value', 'response.output_path "id.value": "id" is a string, not an object or array'],
    ['answer', 'response.output_path "answer": the response has no key "answer": its keys are id, choices, usage'],
  ])(
    'a path that does not resolve (%s) fails the run naming the path and the keys that exist',
    async (path, message) => {
      const { target } = await setup((_req, res) => sendJson(res, CHAT_COMPLETION), {
        response: { output_path: path },
      });
      await expect(target.invoke('hi', testRun())).rejects.toThrow(new RemoteRunError(message));
    },
  );

  it('fails the run when the body is not JSON, quoting its start', async () => {
    const { target } = await setup((_req, res) => res.end('<html>oops</html>'));
    await expect(target.invoke('hi', testRun())).rejects.toThrow(
      'the response is not JSON (response.format is json; content-type not set): "<html>oops</html>"',
    );
  });
});

describe('text responses and failures', () => {
  it('returns the body as a string', async () => {
    const { target } = await setup((_req, res) => res.end('plain answer ✓'), { response: { format: 'text' } });
    expect(await target.invoke('hi', testRun())).toBe('plain answer ✓');
  });

  it('fails a non-2xx run with the status and the start of the body, secrets redacted', async () => {
    const { server, target } = await setup(
      (req, res) => {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(
          `{"error":"overloaded","echo":"${req.headers.authorization}","key":"sk-proj-abcdefghijklmnopqrstuvwxyz012345"}`,
        );
      },
      { headers: { Authorization: 'Bearer ${SERVICE_CREDENTIAL}' } },
      { SERVICE_CREDENTIAL: 'hunter2-very-private' },
    );
    const error = await target.invoke('hi', testRun()).catch((err: Error) => err);
    expect(error).toBeInstanceOf(RemoteRunError);
    expect((error as Error).message).toBe(
      `POST ${server.url}/chat answered HTTP 503 Service Unavailable: ` +
        JSON.stringify(
          '{"error":"overloaded","echo":"Bearer [REDACTED:SERVICE_CREDENTIAL]","key":"[REDACTED:openai_api_key]"}',
        ),
    );
  });

  it('fails the run when the endpoint cannot be reached', async () => {
    const server = await httpServer(() => {});
    const { config, env } = httpConfig({ url: `${server.url}/chat` });
    await server.close();
    await expect(httpTarget(config, env).invoke('hi', testRun())).rejects.toThrow(
      new RegExp(`^cannot reach POST ${server.url}/chat: connect ECONNREFUSED`),
    );
  });
});

describe('the request', () => {
  it("carries the run's traceparent, JSON content type and an accept header for the format", async () => {
    const { server, target } = await setup((_req, res) => sendJson(res, 'ok'), {
      headers: { 'X-Team': 'evals' },
    });
    const run = testRun();
    await target.invoke('hi', run);
    const { headers, method, url, body } = server.requests[0]!;
    expect({ method, url, body, traceparent: headers.traceparent, team: headers['x-team'] }).toEqual({
      method: 'POST',
      url: '/chat',
      body: '{"input":"hi"}',
      traceparent: run.traceparent,
      team: 'evals',
    });
    expect([headers['content-type'], headers.accept]).toEqual(['application/json', 'application/json']);
  });

  it('sends no body with GET', async () => {
    const { server, target } = await setup((_req, res) => sendJson(res, 'ok'), { method: 'GET' });
    await target.invoke('hi', testRun());
    expect([server.requests[0]!.method, server.requests[0]!.body, server.requests[0]!.headers['content-type']]).toEqual(
      ['GET', '', undefined],
    );
  });

  it('reuses keep-alive connections: 200 runs, 4 at a time, open at most 4 sockets', async () => {
    const { server, target } = await setup((req, res) => sendJson(res, JSON.parse(req.body)));
    const outputs: unknown[] = [];
    const inputs = Array.from({ length: 200 }, (_, i) => `input ${i}`);
    const worker = async () => {
      for (let input = inputs.shift(); input !== undefined; input = inputs.shift()) {
        outputs.push(await target.invoke(input, testRun()));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(outputs).toHaveLength(200);
    expect(server.requests).toHaveLength(200);
    expect(server.connections()).toBeLessThanOrEqual(4);
  });
});

describe('aborting', () => {
  it("aborts the request in flight when the run's signal fires, with the signal's reason", async () => {
    let requestClosed = false;
    const { server, target } = await setup((_req, res) => {
      res.on('close', () => {
        requestClosed = true;
      });
    });
    const run = testRun();
    const pending = target.invoke('hi', run);
    await waitUntil(() => server.requests.length > 0, 'the request reached the server');
    run.abort(new Error('run timed out after 60 s'));
    await expect(pending).rejects.toThrow('run timed out after 60 s');
    await waitUntil(() => requestClosed, 'the server saw the request go away');
  });

  it('close() aborts the runs in flight', async () => {
    const { server, target } = await setup(() => {});
    const pending = target.invoke('hi', testRun());
    await waitUntil(() => server.requests.length > 0, 'the request reached the server');
    await target.close();
    await expect(pending).rejects.toThrow('the target was closed');
    await expect(target.invoke('hi', testRun())).rejects.toThrow('the target is closed');
  });
});
