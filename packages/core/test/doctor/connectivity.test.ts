import { startCollector } from '@fluxloop/collector';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../init/scaffold-helpers.js';
import { check, closedUrl, doctor, healthyProject, listen } from './doctor-helpers.js';

const KEY = 'sk-test-abcdefghijklmnopqrstuvwxyz0123456789';

function llmProject(llm: string, dotenv = '') {
  return healthyProject({
    'configs/input.yaml': `base_inputs:\n  - input: hi\ninput_generation:\n  mode: llm\n  llm:\n${llm}`,
    '.env': dotenv,
  });
}

const llmCheck = async (root: string) => {
  const report = await doctor(root, { importTimeoutMs: 1 });
  return check(report, 'llm provider');
};

describe('doctor: the LLM provider of input generation', () => {
  it('a server that answers GET /models with the key accepted is ok; the key is sent, never shown', async () => {
    const server = await listen(200, '{"data":[]}');
    const root = llmProject(`    provider: openai\n    base_url: ${server.url}/v1\n`, `OPENAI_API_KEY=${KEY}\n`);
    const result = await llmCheck(root);
    expect(result).toEqual({
      name: 'llm provider',
      status: 'ok',
      detail: `openai gpt-4o-mini at ${server.url}/v1 answers; key from OPENAI_API_KEY`,
    });
    expect(server.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['GET', '/v1/models', `Bearer ${KEY}`],
    ]);
  });

  it('anthropic sends its own key header', async () => {
    const server = await listen(200);
    const root = llmProject(`    provider: anthropic\n    base_url: ${server.url}/v1\n`, `ANTHROPIC_API_KEY=${KEY}\n`);
    expect((await llmCheck(root)).status).toBe('ok');
    expect(server.requests.map((r) => [r.url, r.headers['x-api-key'], r.headers['anthropic-version']])).toEqual([
      ['/v1/models', KEY, '2023-06-01'],
    ]);
  });

  it('a missing key fails, naming the variable (api_key_env)', async () => {
    const server = await listen(200);
    const root = llmProject(`    provider: openai\n    base_url: ${server.url}/v1\n    api_key_env: MY_LLM_KEY\n`);
    expect(await llmCheck(root)).toEqual({
      name: 'llm provider',
      status: 'fail',
      detail: `openai gpt-4o-mini at ${server.url}/v1 answers, but MY_LLM_KEY is not set`,
      hint: "add MY_LLM_KEY=... to the project's .env (or set input_generation.llm.api_key_env to the variable holding the key)",
    });
  });

  it('openai_compatible without a key is only a warning (local servers take none)', async () => {
    const server = await listen(200);
    const root = llmProject(`    provider: openai_compatible\n    base_url: ${server.url}/v1\n    model: llama3\n`);
    expect(await llmCheck(root)).toMatchObject({
      status: 'warn',
      detail: `openai_compatible llama3 at ${server.url}/v1 answers, but OPENAI_API_KEY is not set (fine if the server needs no key)`,
    });
  });

  it('a rejected key fails without showing it', async () => {
    const server = await listen(401, '{"error":"bad key"}');
    const root = llmProject(`    provider: openai\n    base_url: ${server.url}/v1\n`, `OPENAI_API_KEY=${KEY}\n`);
    const result = await llmCheck(root);
    expect(result).toEqual({
      name: 'llm provider',
      status: 'fail',
      detail: `openai gpt-4o-mini at ${server.url}/v1 rejected the key in OPENAI_API_KEY (HTTP 401)`,
      hint: 'check the value of OPENAI_API_KEY (and that it belongs to this provider)',
    });
  });

  it('a base URL that does not answer fails with the network error, not a crash', async () => {
    const url = await closedUrl();
    const root = llmProject(`    provider: openai\n    base_url: ${url}/v1\n`, `OPENAI_API_KEY=${KEY}\n`);
    const result = await llmCheck(root);
    expect(result).toEqual({
      name: 'llm provider',
      status: 'fail',
      detail: `openai gpt-4o-mini at ${url}/v1: GET ${url}/v1/models failed: connect ECONNREFUSED ${url.slice(7)}`,
      hint: 'check input_generation.llm.base_url and the network (a proxy, a local server that is not running)',
    });
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it('a base URL that does not answer and a missing key are both reported', async () => {
    const url = await closedUrl();
    const root = llmProject(`    provider: anthropic\n    base_url: ${url}/v1\n`);
    expect(await llmCheck(root)).toEqual({
      name: 'llm provider',
      status: 'fail',
      detail:
        `anthropic claude-3-5-haiku-latest at ${url}/v1: GET ${url}/v1/models failed: connect ECONNREFUSED ` +
        `${url.slice(7)}; ANTHROPIC_API_KEY is not set either`,
      hint:
        'check input_generation.llm.base_url and the network (a proxy, a local server that is not running); add ' +
        "ANTHROPIC_API_KEY=... to the project's .env (or set input_generation.llm.api_key_env to the variable holding the key)",
    });
  });
});

describe('doctor: the collector', () => {
  const collectors: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.close()));
  });

  it('a running collector (collector.url in project.yaml) is healthy', async () => {
    const collector = await startCollector({ outputDir: tempDir(), port: 0, token: 'secret' });
    collectors.push(collector);
    const root = healthyProject({ 'configs/project.yaml': `name: demo\ncollector:\n  url: ${collector.url}\n` });
    expect(check(await doctor(root, { importTimeoutMs: 1 }), 'collector')).toEqual({
      name: 'collector',
      status: 'ok',
      detail: `${collector.url} (collector.url) is healthy`,
    });
  });

  it('FLUXLOOP_COLLECTOR_URL is checked too, even outside a project; a collector that is down fails', async () => {
    const url = await closedUrl();
    const report = await doctor(tempDir(), { env: { FLUXLOOP_COLLECTOR_URL: url } });
    expect(check(report, 'collector')).toEqual({
      name: 'collector',
      status: 'fail',
      detail: `${url} (FLUXLOOP_COLLECTOR_URL): GET /health failed: connect ECONNREFUSED ${url.slice(7)}`,
      hint: 'start it (fluxloop collector serve), or fix FLUXLOOP_COLLECTOR_URL',
    });
  });

  it('a server that answers /health with an error status fails', async () => {
    const server = await listen(503);
    const report = await doctor(tempDir(), { env: { FLUXLOOP_COLLECTOR_URL: `${server.url}/` } });
    expect(check(report, 'collector')).toMatchObject({
      status: 'fail',
      detail: `${server.url}/ (FLUXLOOP_COLLECTOR_URL): GET /health answered HTTP 503`,
    });
    expect(server.requests.map((r) => r.url)).toEqual(['/health']);
  });
});
