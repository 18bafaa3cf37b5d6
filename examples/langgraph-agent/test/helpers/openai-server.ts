/**
 * A local stand-in for the OpenAI Chat Completions API (POST /v1/chat/completions, non-streaming), on 127.0.0.1,
 * so the example's real ChatOpenAI code path runs offline. It plays the support agent: a conversation without a
 * tool result gets a lookup_order tool call, one that ends with the tool's result gets a final answer quoting it.
 * Every request is kept (headers and parsed body) for the test to inspect.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
  role: string;
  content?: string | null | unknown[];
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: { type: string; function: { name: string; parameters?: unknown } }[];
  stream?: boolean;
  [key: string]: unknown;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequest;
}

/** What the server answers, per call: the test checks these land in the trace. */
export const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
export const TOOL_CALL_ID = 'call_lookup_1';
export const USAGE = [
  { prompt_tokens: 81, completion_tokens: 17, total_tokens: 98 },
  { prompt_tokens: 120, completion_tokens: 22, total_tokens: 142 },
] as const;

export interface FakeOpenAI {
  /** Base URL to pass as OPENAI_BASE_URL (ends in /v1). */
  baseURL: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

function text(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? '').join('');
  return '';
}

function completion(id: number, message: Record<string, unknown>, finishReason: string) {
  return {
    id: `chatcmpl-fake-${id}`,
    object: 'chat.completion',
    created: 1_700_000_000 + id,
    model: RESPONSE_MODEL,
    choices: [{ index: 0, message: { refusal: null, ...message }, logprobs: null, finish_reason: finishReason }],
    usage: {
      ...USAGE[Math.min(id, USAGE.length) - 1],
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    system_fingerprint: 'fp_fake',
  };
}

function answer(body: ChatRequest, count: number) {
  const messages = body.messages ?? [];
  const toolResult = [...messages].reverse().find((m) => m.role === 'tool');
  if (toolResult) {
    const order = JSON.parse(text(toolResult.content)) as { id: string; status: string; eta: string };
    const content = `Your order ${order.id} is ${order.status} and should arrive ${order.eta}.`;
    return completion(count, { role: 'assistant', content }, 'stop');
  }
  const question = text([...messages].reverse().find((m) => m.role === 'user')?.content);
  const orderId = question.match(/[A-Z]-\d{4}/)?.[0] ?? 'unknown';
  return completion(
    count,
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: TOOL_CALL_ID,
          type: 'function',
          function: { name: 'lookup_order', arguments: JSON.stringify({ order_id: orderId }) },
        },
      ],
    },
    'tool_calls',
  );
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const error = (status: number, message: string) =>
        send(status, { error: { message, type: 'invalid_request_error', param: null, code: null } });
      let body: ChatRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return error(400, 'body is not JSON');
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return error(404, `no route ${req.url}`);
      if (!req.headers.authorization?.startsWith('Bearer ')) return error(401, 'missing bearer key');
      if (body.stream) return error(400, 'this test server does not stream');
      send(200, answer(body, requests.length));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
