import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a local stand-in for an LLM provider received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (until the server closes): for timeouts. */
  hang?: boolean;
}

export type ProviderKind = 'openai' | 'anthropic';
export type Responder = (request: ReceivedRequest, index: number) => Reply | Promise<Reply>;

export interface ProviderServer {
  kind: ProviderKind;
  /** Base URL as users configure it: .../v1 for OpenAI-style servers, the origin for Anthropic. */
  baseUrl: string;
  requests: ReceivedRequest[];
  maxInFlight: number;
  close(): Promise<void>;
}

/** The prompt text a request carried (both APIs), for responders that answer from it. */
export function promptOf(request: ReceivedRequest): string {
  const messages = (request.body.messages ?? []) as { role: string; content: unknown }[];
  const text = (c: unknown): string =>
    typeof c === 'string' ? c : Array.isArray(c) ? c.map((b) => (b as { text?: string }).text ?? '').join('') : '';
  return [text(request.body.system), ...messages.map((m) => text(m.content))].join('\n');
}

/** How many variations the prompt asks for, and the original message in it. */
export function askedFor(request: ReceivedRequest): { count: number; original: string; strategy: string } {
  const prompt = promptOf(request);
  const count = Number(/exactly (\d+) string/.exec(prompt)?.[1] ?? 0);
  const original = /Original message:\n"""\n([\s\S]*?)\n"""/.exec(prompt)?.[1] ?? '';
  const strategy = /Strategy: (\w+)\./.exec(prompt)?.[1] ?? '';
  return { count, original, strategy };
}

/** A chat completion / message body of the real API shape with `text` as the answer. */
export function answerBody(kind: ProviderKind, text: string, model: string): unknown {
  if (kind === 'openai') {
    return {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70 },
    };
  }
  return {
    id: 'msg_test',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 50, output_tokens: 20 },
  };
}

/** An error body of the real API shape. */
export function errorBody(kind: ProviderKind, status: number, message: string): unknown {
  if (kind === 'openai')
    return { error: { message, type: status === 429 ? 'requests' : 'server_error', param: null, code: null } };
  return { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message } };
}

/** Answers with the asked number of variations, `<original> [<strategy> k]`, as a JSON array in a code fence. */
export function echoAnswer(kind: ProviderKind): Responder {
  return (request) => {
    const { count, original, strategy } = askedFor(request);
    const variations = Array.from({ length: count }, (_, k) => `${original} [${strategy} ${k}]`);
    const text = `Here you go:\n\`\`\`json\n${JSON.stringify(variations)}\n\`\`\``;
    return { body: answerBody(kind, text, String(request.body.model)) };
  };
}

/** An HTTP server on 127.0.0.1 (random port) that speaks the OpenAI chat completions or Anthropic messages API. */
export async function startProviderServer(
  kind: ProviderKind,
  responder: Responder = echoAnswer(kind),
): Promise<ProviderServer> {
  const requests: ReceivedRequest[] = [];
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const expectedPath = kind === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const server = http.createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {},
      };
      const index = requests.push(received) - 1;
      const reply: Reply =
        received.path === expectedPath
          ? await responder(received, index)
          : { status: 404, body: errorBody(kind, 404, `no route ${received.path}`) };
      if (reply.hang) return;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    kind,
    baseUrl: kind === 'openai' ? `${origin}/v1` : origin,
    requests,
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
