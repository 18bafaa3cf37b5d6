import type { ChatPrompt } from './prompt.js';
import type { ResolvedLlm } from './settings.js';

/** The one thing generation needs from a chat model: a prompt in, the answer's text out. */
export interface ChatModel {
  complete(prompt: ChatPrompt, options: { signal: AbortSignal; seed: number }): Promise<string>;
}

export type Fetch = typeof fetch;

/** For a keyless openai_compatible server: the OpenAI SDK insists on a key, so the header it builds is removed. */
function withoutAuthorization(base: Fetch): Fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.delete('authorization');
    return base(input, { ...init, headers });
  };
}

/**
 * A LangChain chat model for the provider, loaded with import() so the CLI only pays for LangChain in llm mode.
 * Retries are ours alone: LangChain's caller and the SDK clients get maxRetries 0, or a 429 would be retried
 * (retries+1)^2 times. `fetch` replaces the SDK's (tests, proxies).
 */
export async function createChatModel(
  llm: ResolvedLlm,
  apiKey: string | undefined,
  fetchImpl?: Fetch,
): Promise<ChatModel> {
  const baseFetch: Fetch = fetchImpl ?? ((input, init) => fetch(input, init));
  const messages = (prompt: ChatPrompt) =>
    [
      ['system', prompt.system],
      ['human', prompt.user],
    ] as [string, string][];
  if (llm.provider === 'anthropic') {
    const { ChatAnthropic } = await import('@langchain/anthropic');
    const model = new ChatAnthropic({
      model: llm.model,
      apiKey,
      temperature: llm.temperature,
      maxTokens: llm.maxTokens,
      maxRetries: 0,
      ...(llm.baseUrl ? { anthropicApiUrl: llm.baseUrl } : {}),
      clientOptions: { fetch: baseFetch, timeout: llm.timeoutMs, maxRetries: 0 },
    });
    // Anthropic has no sampling seed.
    return { complete: async (prompt, { signal }) => (await model.invoke(messages(prompt), { signal })).text };
  }
  const { ChatOpenAI } = await import('@langchain/openai');
  const model = new ChatOpenAI({
    model: llm.model,
    apiKey: apiKey ?? 'no-key',
    temperature: llm.temperature,
    maxTokens: llm.maxTokens,
    maxRetries: 0,
    timeout: llm.timeoutMs,
    configuration: {
      ...(llm.baseUrl ? { baseURL: llm.baseUrl } : {}),
      fetch: apiKey === undefined ? withoutAuthorization(baseFetch) : baseFetch,
      maxRetries: 0,
    },
  });
  return {
    complete: async (prompt, { signal, seed }) => (await model.invoke(messages(prompt), { signal, seed })).text,
  };
}
