import { UserError } from '../../../errors.js';
import type { HttpTarget } from '../../../project/types.js';
import { configWhere } from '../../../project/where.js';
import type { RunContext, Target, TargetEnvironment } from '../../types.js';
import { abortReason, RemoteRunError } from '../run-error.js';
import { SecretScrubber } from '../secrets.js';
import { ConnectionPool } from './http-client.js';
import { type OutputPath, parseOutputPath } from './output-path.js';
import { describeFailure, readOutput } from './response.js';
import {
  checkTemplate,
  environmentVariables,
  RUN_VARIABLES,
  renderBody,
  renderHeader,
  renderUrl,
  runValues,
} from './template.js';

const ACCEPT: Record<HttpTarget['response']['format'], string> = {
  json: 'application/json',
  sse: 'text/event-stream',
  text: 'text/plain, */*',
};

/**
 * An HTTP endpoint called once per run: the request is built from the configured templates (run values and
 * environment variables substituted), carries the run's W3C traceparent, and its response (JSON, SSE or text)
 * is the run's output. The endpoint's spans reach the run through the experiment's OTLP receiver.
 */
export function createHttpTarget(config: HttpTarget, env: TargetEnvironment): Target {
  // Also used while rendering every request, so each key is located once.
  const located = new Map<string, string>();
  const where = (key: string) => {
    let text = located.get(key);
    if (text === undefined) {
      text = configWhere(env.project, 'simulation', `runner.http.${key}`);
      located.set(key, text);
    }
    return text;
  };
  const outputPath = checkConfig(config, env, where);
  const scrubber = new SecretScrubber(env.env);
  // Header values are where credentials go; whatever the environment put in them is masked in every message.
  for (const value of Object.values(config.headers)) {
    for (const name of environmentVariables(value)) scrubber.add(name, env.env[name]!);
  }
  const scrub = (text: string) => scrubber.scrub(text);
  const pool = new ConnectionPool();
  const closing = new AbortController();
  const inFlight = new Set<Promise<unknown>>();

  async function run(input: unknown, ctx: RunContext): Promise<unknown> {
    const values = runValues(input, ctx);
    const url = parseUrl(renderUrl(config.url, where('url'), values, env.env), where('url'), scrub);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(config.headers)) {
      headers[name.toLowerCase()] = renderHeader(value, where(`headers.${name}`), values, env.env);
    }
    let body: string | undefined;
    if (config.method !== 'GET') {
      body = JSON.stringify(renderBody(config.body, 'body', where, input, values, env.env) ?? null);
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    headers.accept ??= ACCEPT[config.response.format];
    headers.traceparent = ctx.traceparent;
    const signal = AbortSignal.any([ctx.signal, closing.signal]);
    const reason = () => (ctx.signal.aborted ? abortReason(ctx.signal) : new RemoteRunError('the target was closed'));
    const shown = `${config.method} ${scrub(url.origin + url.pathname)}`;
    let res: Awaited<ReturnType<ConnectionPool['send']>>;
    try {
      res = await pool.send({ url, method: config.method, headers, body, signal }, reason);
    } catch (err) {
      if (signal.aborted) throw reason();
      throw new RemoteRunError(`cannot reach ${shown}: ${scrub((err as Error).message)}`);
    }
    const status = res.statusCode ?? 0;
    try {
      if (status < 200 || status > 299) {
        throw new RemoteRunError(`${shown} answered ${await describeFailure(res, scrub)}`);
      }
      return await readOutput(res, {
        format: config.response.format,
        outputPath,
        doneMarker: config.response.done_marker,
        onDelta: ctx.onDelta?.bind(ctx),
        scrub,
      });
    } catch (err) {
      if (signal.aborted) throw reason();
      if (err instanceof RemoteRunError) throw err;
      throw new RemoteRunError(`reading the response of ${shown} failed: ${scrub((err as Error).message)}`);
    }
  }

  return {
    kind: 'http',
    description: `${config.method} ${config.url}`,
    remoteSpans: true,
    invoke(input, ctx) {
      if (closing.signal.aborted) return Promise.reject(new RemoteRunError('the target is closed'));
      const running = run(input, ctx);
      inFlight.add(running);
      const forget = () => inFlight.delete(running);
      running.then(forget, forget);
      return running;
    },
    async close() {
      closing.abort();
      await Promise.allSettled([...inFlight]);
      pool.destroy();
    },
  };
}

/** Everything that can be wrong before the first run: unset variables, a malformed URL, a bad output path. */
function checkConfig(
  config: HttpTarget,
  env: TargetEnvironment,
  where: (key: string) => string,
): OutputPath | undefined {
  checkTemplate(config.url, 'url', where, env.env);
  for (const [name, value] of Object.entries(config.headers)) checkTemplate(value, `headers.${name}`, where, env.env);
  checkTemplate(config.body, 'body', where, env.env);
  const usesRunValues = (RUN_VARIABLES as readonly string[]).some((name) => config.url.includes(`\${${name}}`));
  if (!usesRunValues) parseUrl(renderUrl(config.url, where('url'), {}, env.env), where('url'), (t) => t);
  const { format, output_path } = config.response;
  if (output_path === undefined) return undefined;
  if (format === 'text') {
    throw new UserError(`${where('response.output_path')}: applies to the json and sse formats, not text`);
  }
  return parseOutputPath(output_path, where('response.output_path'));
}

function parseUrl(text: string, where: string, scrub: (text: string) => string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${where}: "${scrub(text)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${where}: "${scrub(text)}" must be an http:// or https:// URL`);
  }
  return url;
}
