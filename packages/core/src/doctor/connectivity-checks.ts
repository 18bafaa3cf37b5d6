import type { LlmSettings } from '../project/types.js';
import { displayUrl, joinUrl, probeUrl } from './http-probe.js';
import type { ProjectInspection } from './inspect-project.js';
import { type CheckResult, type DoctorSettings, fail, ok, skip, warn } from './types.js';

const PROVIDER_DEFAULTS: Record<LlmSettings['provider'], { baseUrl?: string; keyEnv: string; model?: string }> = {
  openai: { baseUrl: 'https://api.openai.com/v1', keyEnv: 'OPENAI_API_KEY', model: 'gpt-4o-mini' },
  anthropic: { baseUrl: 'https://api.anthropic.com/v1', keyEnv: 'ANTHROPIC_API_KEY', model: 'claude-3-5-haiku-latest' },
  openai_compatible: { keyEnv: 'OPENAI_API_KEY' },
};

/** The chat model of LLM-mode input generation: its key is set (never shown) and its base URL answers. */
export async function checkLlm(inspection: ProjectInspection, settings: DoctorSettings): Promise<CheckResult> {
  const name = 'llm provider';
  if (!inspection.found) return skip(name, 'no project');
  const input = inspection.configs.input;
  if (!input) return skip(name, 'configs/input.yaml is missing or invalid');
  if (input.input_generation.mode !== 'llm') {
    return skip(name, `input_generation.mode is ${input.input_generation.mode} (no model needed)`);
  }
  const llm = input.input_generation.llm;
  const defaults = PROVIDER_DEFAULTS[llm.provider];
  const keyEnv = llm.api_key_env ?? defaults.keyEnv;
  const key = inspection.env.vars[keyEnv];
  const baseUrl = llm.base_url ?? defaults.baseUrl!;
  const model = llm.model ?? defaults.model;
  const what = `${llm.provider}${model ? ` ${model}` : ''} at ${displayUrl(baseUrl)}`;
  const keyHint = `add ${keyEnv}=... to the project's .env (or set input_generation.llm.api_key_env to the variable holding the key)`;
  const headers: Record<string, string> = {};
  if (key) {
    if (llm.provider === 'anthropic') Object.assign(headers, { 'x-api-key': key, 'anthropic-version': '2023-06-01' });
    else headers.authorization = `Bearer ${key}`;
  }
  const models = joinUrl(baseUrl, 'models');
  const outcome = await probeUrl(models, { method: 'GET', headers, timeoutMs: settings.fetchTimeoutMs });
  if (!outcome.answered) {
    const noKey = key ? '' : `; ${keyEnv} is not set either`;
    const networkHint =
      'check input_generation.llm.base_url and the network (a proxy, a local server that is not running)';
    return fail(
      name,
      `${what}: GET ${displayUrl(models)} failed: ${outcome.error}${noKey}`,
      key ? networkHint : `${networkHint}; ${keyHint}`,
    );
  }
  if (!key) {
    // Local OpenAI-compatible servers (Ollama, vLLM) usually take no key; the hosted APIs always do.
    const detail = `${what} answers, but ${keyEnv} is not set`;
    if (llm.provider === 'openai_compatible') return warn(name, `${detail} (fine if the server needs no key)`, keyHint);
    return fail(name, detail, keyHint);
  }
  if (outcome.status === 401 || outcome.status === 403) {
    return fail(
      name,
      `${what} rejected the key in ${keyEnv} (HTTP ${outcome.status})`,
      `check the value of ${keyEnv} (and that it belongs to this provider)`,
    );
  }
  if (outcome.status >= 200 && outcome.status < 300) return ok(name, `${what} answers; key from ${keyEnv}`);
  return warn(
    name,
    `${what} answered HTTP ${outcome.status} to GET /models; key from ${keyEnv}`,
    'check input_generation.llm.base_url: it should be the API root (ending in /v1 for OpenAI-style servers)',
  );
}

/** The collector of configs/project.yaml (or FLUXLOOP_COLLECTOR_URL): GET /health answers. */
export async function checkCollector(inspection: ProjectInspection, settings: DoctorSettings): Promise<CheckResult> {
  const name = 'collector';
  const env = inspection.found ? inspection.env.vars : settings.env;
  const configured = inspection.found ? inspection.configs.project?.collector : undefined;
  const url = configured?.url ?? env.FLUXLOOP_COLLECTOR_URL;
  if (!url) return skip(name, 'none configured (configs/project.yaml collector.url or FLUXLOOP_COLLECTOR_URL)');
  const source = configured ? 'collector.url' : 'FLUXLOOP_COLLECTOR_URL';
  const health = joinUrl(url, 'health');
  const outcome = await probeUrl(health, { method: 'GET', timeoutMs: settings.fetchTimeoutMs });
  const shown = displayUrl(url);
  const hint = `start it (fluxloop collector serve), or fix ${source}`;
  if (!outcome.answered) return fail(name, `${shown} (${source}): GET /health failed: ${outcome.error}`, hint);
  if (outcome.status < 200 || outcome.status >= 300) {
    return fail(name, `${shown} (${source}): GET /health answered HTTP ${outcome.status}`, hint);
  }
  return ok(name, `${shown} (${source}) is healthy`);
}
