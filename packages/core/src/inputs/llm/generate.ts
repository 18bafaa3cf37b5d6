import { setTimeout as sleep } from 'node:timers/promises';
import { InterruptedError, UserError } from '../../errors.js';
import type { InputConfig, InputEntry } from '../../project/types.js';
import type { GenerationReporter } from '../deterministic.js';
import type { InputPlan, RequestStep } from '../plan.js';
import { buildEntry, finishGeneration, type GeneratedInputs } from '../result.js';
import { type ChatModel, createChatModel, type Fetch } from './chat-model.js';
import { parseVariations } from './parse.js';
import { runPool } from './pool.js';
import { classifyFailure, DEFAULT_RETRY, type FailureInfo, type RetryPolicy, retryDelay } from './retry.js';
import { resolveApiKey } from './settings.js';

export interface LlmGenerationOptions {
  /** Where the API key is read: the real environment over the project's .env (`project.env.vars`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Replaces the SDK's fetch (tests, proxies). */
  fetch?: Fetch;
  reporter?: GenerationReporter;
  /** Aborting stops new requests, cancels those in flight and rejects with InterruptedError. */
  signal?: AbortSignal;
  /** Requests in flight at once; default input_generation.llm.concurrency. */
  concurrency?: number;
  /** Backoff timing; the number of retries is input_generation.llm.max_retries. */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** A ready model instead of the provider's LangChain one (embedding FluxLoop with another client). */
  model?: ChatModel;
}

/** A request that failed for good: the message names the entry it was for and why. */
export class LlmGenerationError extends UserError {
  override readonly name: string = 'LlmGenerationError';
}

/** `base_inputs[2] x persona "alice" x strategy typo`: which entries a request was for. */
export function describeRequest(step: RequestStep): string {
  const persona = step.persona === null ? 'no persona' : `persona "${step.persona}"`;
  return `base_inputs[${step.baseIndex}] x ${persona} x strategy ${step.strategy}`;
}

/** Removes the key from text bound for messages, in case a provider echoes it. */
function scrub(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('***') : text;
}

interface Attempt {
  variations?: string[];
  failure?: FailureInfo & { malformed?: boolean };
}

async function attempt(model: ChatModel, step: RequestStep, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const answer = await model.complete(step.prompt, { signal: combined, seed: step.seed });
    const parsed = parseVariations(answer, step.count);
    if ('variations' in parsed) return { variations: parsed.variations };
    const start = answer.trim().slice(0, 200).replace(/\s+/g, ' ');
    const reason = `malformed answer (${parsed.problem}); it began: ${JSON.stringify(start)}`;
    return { failure: { retryable: true, malformed: true, reason } };
  } catch (err) {
    if (signal?.aborted) throw new InterruptedError('input generation interrupted');
    if (timeout.aborted) return { failure: { retryable: true, reason: `timed out after ${timeoutMs / 1000}s` } };
    return { failure: classifyFailure(err) };
  }
}

/**
 * One request with our retries: 429/5xx/network errors and timeouts back off exponentially (Retry-After wins),
 * a malformed answer is asked again at once (at least once even with max_retries 0), anything else fails at once.
 */
async function requestVariations(
  model: ChatModel,
  step: RequestStep,
  policy: RetryPolicy,
  timeoutMs: number,
  options: LlmGenerationOptions,
  apiKey: string | undefined,
): Promise<string[]> {
  for (let retry = 0; ; retry++) {
    if (options.signal?.aborted) throw new InterruptedError('input generation interrupted');
    const result = await attempt(model, step, timeoutMs, options.signal);
    if (result.variations) return result.variations;
    const failure = result.failure!;
    const allowed = failure.malformed ? Math.max(1, policy.maxRetries) : policy.maxRetries;
    const fail = (why: string) =>
      new LlmGenerationError(
        scrub(`llm request for ${describeRequest(step)} failed ${why}: ${failure.reason}`, apiKey),
      );
    if (!failure.retryable) throw fail(retry === 0 ? 'and is not retried' : `on attempt ${retry + 1}`);
    if (retry >= allowed) throw fail(`after ${retry + 1} attempt${retry === 0 ? '' : 's'}`);
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
      throw fail(`(the provider asked to wait ${Math.ceil(failure.retryAfterMs / 1000)}s, more than allowed)`);
    }
    const delay = failure.malformed ? 0 : retryDelay(retry, policy, failure);
    options.reporter?.retry?.(describeRequest(step), retry + 1, delay, scrub(failure.reason, apiKey));
    try {
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : {});
    } catch {
      throw new InterruptedError('input generation interrupted');
    }
  }
}

/**
 * Runs an llm plan: one chat request per (base input, persona, strategy), `concurrency` at a time, then the entries
 * in plan order. The key is checked before anything is sent. If a request fails for good, no new requests start,
 * those in flight finish, and the error names the entry; nothing is returned, so no partial file gets written.
 */
export async function generateWithLlm(
  config: InputConfig,
  plan: InputPlan,
  options: LlmGenerationOptions,
): Promise<GeneratedInputs> {
  const llm = plan.llm;
  if (!llm) throw new Error('generateWithLlm: the plan is not for llm mode');
  const apiKey = resolveApiKey(llm, options.env);
  const requests = plan.steps.filter((s): s is RequestStep => s.kind === 'request');
  const model = options.model ?? (await createChatModel(llm, apiKey, options.fetch));
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry, maxRetries: llm.maxRetries };
  // A request that fails for good cancels the others in flight: their answers would be thrown away anyway.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let done = 0;
  const results = await runPool(requests.length, options.concurrency ?? llm.concurrency, async (i) => {
    try {
      const variations = await requestVariations(
        model,
        requests[i]!,
        policy,
        llm.timeoutMs,
        { ...options, signal },
        apiKey,
      );
      options.reporter?.progress?.(++done, requests.length);
      return variations;
    } catch (err) {
      stop.abort();
      throw err;
    }
  });
  const answers = new Map(requests.map((step, i) => [step, results[i]!]));
  const produced: InputEntry[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'base') {
      const origin = { ...step, strategy: null, variation: 0, seed: null };
      produced.push(buildEntry(config, origin, config.base_inputs[step.baseIndex]!.input));
    } else if (step.kind === 'request') {
      answers.get(step)!.forEach((text, variation) => {
        produced.push(buildEntry(config, { ...step, variation }, text));
      });
    }
  }
  return finishGeneration(config, plan, produced);
}
