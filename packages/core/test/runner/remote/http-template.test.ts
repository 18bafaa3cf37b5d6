// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is the config placeholder syntax under test.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { createHttpTarget } from '../../../src/runner/remote/index.js';
import { httpConfig } from './helpers/environment.js';
import { httpServer, sendJson } from './helpers/http-server.js';
import { testRun } from './helpers/run-context.js';
import { httpTarget } from './helpers/targets.js';

const BODY = {
  model: 'gpt-test',
  messages: [
    { role: 'system', content: 'You are talking to ${persona}, run ${run_id} of ${experiment_id}' },
    { role: 'user', content: 'Q: ${input}' },
  ],
  meta: { iteration: '${iteration}', team: '${TEAM}', raw: '${input}', nested: [['${input}!']] },
  n: 2,
  stream: false,
  stop: null,
};

/** What the server received for one run of a target built from `http`, with `env`. */
async function sent(http: Record<string, unknown>, input: unknown, env: Record<string, string> = {}) {
  const server = await httpServer((_req, res) => sendJson(res, 'ok'));
  const { config, env: targetEnv } = httpConfig(
    { ...http, url: String(http.url ?? '${BASE}/chat') },
    {
      BASE: server.url,
      ...env,
    },
  );
  const run = testRun({ runId: 'run-7', experimentId: 'exp-42', iteration: 3, persona: 'novice' });
  await httpTarget(config, targetEnv).invoke(input, run);
  const request = server.requests[0]!;
  return { url: request.url, body: JSON.parse(request.body) as unknown, headers: request.headers };
}

describe('request templates', () => {
  it('substitutes run values and environment variables in nested objects and arrays', async () => {
    const { body } = await sent({ body: BODY }, 'what is 2+2?', { TEAM: 'evals' });
    expect(body).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You are talking to novice, run run-7 of exp-42' },
        { role: 'user', content: 'Q: what is 2+2?' },
      ],
      meta: { iteration: '3', team: 'evals', raw: 'what is 2+2?', nested: [['what is 2+2?!']] },
      n: 2,
      stream: false,
      stop: null,
    });
  });

  it('sends a non-string input (replay) as itself where a string is exactly "${input}", as JSON inside text', async () => {
    const input = { message: 'hi', history: [1, 2] };
    const { body } = await sent({ body: BODY }, input, { TEAM: 'evals' });
    expect(body).toMatchObject({
      messages: [{}, { content: 'Q: {"message":"hi","history":[1,2]}' }],
      meta: { raw: input, nested: [['{"message":"hi","history":[1,2]}!']] },
    });
  });

  it('uses the default body {"input": "${input}"} when none is configured', async () => {
    expect((await sent({}, ['a', 1])).body).toEqual({ input: ['a', 1] });
  });

  it('fills in URL and header values; run values in the URL are percent-encoded', async () => {
    const { url, headers } = await sent(
      { url: '${BASE}/chat?q=${input}&who=${persona}', headers: { Authorization: 'Bearer ${API_TOKEN}' } },
      'a&b c',
      { API_TOKEN: 'tok-123456' },
    );
    expect([url, headers.authorization]).toEqual(['/chat?q=a%26b%20c&who=novice', 'Bearer tok-123456']);
  });

  it('turns line breaks of run values in headers into spaces, so an input cannot add a header', async () => {
    const { headers } = await sent({ headers: { 'X-Input': '${input}' } }, 'one\r\nX-Evil: 1');
    expect([headers['x-input'], headers['x-evil']]).toEqual(['one X-Evil: 1', undefined]);
  });
});

describe('configuration errors when the target is created', () => {
  // configs/simulation.yaml is YAML.stringify({ runner: { http } }): url is on line 3, the rest below it.
  const where = (position: string) => `configs/simulation.yaml:${position}: runner.http`;
  it.each([
    [{ url: '${BASE}/chat' }, `${where('3:10')}.url uses \${BASE}, but BASE is not set`],
    [
      { url: 'http://127.0.0.1:1/chat', headers: { Authorization: 'Bearer ${API_TOKEN}' } },
      `${where('5:22')}.headers.Authorization uses \${API_TOKEN}, but API_TOKEN is not set`,
    ],
    [
      { url: 'http://127.0.0.1:1/chat', body: { messages: [{ content: '${input} ${SUFFIX}' }] } },
      `${where('6:20')}.body.messages[0].content uses \${SUFFIX}, but SUFFIX is not set`,
    ],
    [
      { url: 'http://127.0.0.1:1/chat', response: { format: 'text', output_path: 'a.b' } },
      `${where('6:20')}.response.output_path: applies to the json and sse formats, not text`,
    ],
    [
      { url: 'http://127.0.0.1:1/chat', response: { output_path: 'choices..content' } },
      `${where('5:20')}.response.output_path: "choices..content" is not a dotted path`,
    ],
  ])('%j -> %s', (http, message) => {
    const { config, env } = httpConfig(http);
    expect(() => createHttpTarget(config, env)).toThrow(UserError);
    expect(() => createHttpTarget(config, env)).toThrow(message);
  });

  it('rejects a URL that is not http(s) once its variables are filled in', () => {
    const { config, env } = httpConfig({ url: '${BASE}/chat' }, { BASE: 'ftp://files' });
    expect(() => createHttpTarget(config, env)).toThrow(
      new UserError(`${where('3:10')}.url: "ftp://files/chat" must be an http:// or https:// URL`),
    );
  });
});
