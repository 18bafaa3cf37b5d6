/**
 * Remote agents for the workflow tests, written as a user would write them into the project: the same support agent
 * (agent() around a tool() and a generation(), from @fluxloop/sdk) behind an HTTP server and behind the JSONL process
 * protocol. Each continues the run's trace from its traceparent and exports its spans over OTLP to the address in
 * OTEL_EXPORTER_OTLP_ENDPOINT, flushing them before it answers. Runs of the persona busy_professional fail.
 */

/** support.mjs: the agent, shared by the server and the process. */
export const SUPPORT_AGENT = `
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { agent, configure, forceFlush, generation, tool } from '@fluxloop/sdk';

// Explicit, so that the W3C propagator is registered before the first traceparent is read.
configure();

const lookupOrder = tool(async function lookupOrder(text) {
  return { status: /A-1002/i.test(text) ? 'being packed' : 'shipped' };
});

const chat = generation(async function chat(prompt) {
  return {
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Answer to ' + prompt }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 4 },
  };
});

const supportAgent = agent(async function supportAgent(message, persona) {
  if (persona === 'busy_professional') throw new Error('no time for ' + persona);
  const order = await lookupOrder(message);
  const reply = await chat(message + ' (' + order.status + ')');
  return reply.choices[0].message.content;
});

/** Runs the agent as a child of the run's span; its spans are exported before this resolves. */
export async function answer(message, persona, carrier) {
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  try {
    return { output: await context.with(parent, () => supportAgent(message, persona)) };
  } catch (error) {
    return { error: error.message };
  } finally {
    await forceFlush();
  }
}
`;

/** server.mjs: POST /chat answers JSON ({ reply } or HTTP 500), POST /stream answers OpenAI-style SSE chunks. */
export const AGENT_SERVER = `
import http from 'node:http';
import { answer } from './support.mjs';

const chunk = (content) => 'data: ' + JSON.stringify({ choices: [{ index: 0, delta: { content } }] }) + '\\n\\n';

http
  .createServer(async (req, res) => {
    let body = '';
    for await (const piece of req) body += piece;
    const { message, persona } = JSON.parse(body);
    const { output, error } = await answer(message, persona, req.headers);
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk(undefined)); // a role-only first chunk adds nothing
      if (error) res.write('event: error\\ndata: ' + JSON.stringify({ error: { message: error } }) + '\\n\\n');
      else for (const word of output.split(' ')) res.write(chunk(word + ' '));
      res.end('data: [DONE]\\n\\n');
      return;
    }
    res.writeHead(error ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(error ? { error } : { reply: output }));
  })
  .listen(0, '127.0.0.1', function () {
    console.log('listening ' + this.address().port);
  });
`;

/** agent.mjs: the JSONL protocol of docs/cli/targets.md, a delta per word, then final (or error). */
export const JSONL_AGENT = `
import readline from 'node:readline';
import { shutdown } from '@fluxloop/sdk';
import { answer } from './support.mjs';

for await (const line of readline.createInterface({ input: process.stdin })) {
  const message = JSON.parse(line);
  if (message.type !== 'input') continue;
  const reply = (fields) => process.stdout.write(JSON.stringify({ id: message.id, ...fields }) + '\\n');
  console.error('working on ' + message.id);
  const { output, error } = await answer(message.input, message.persona, { traceparent: message.traceparent });
  if (error) reply({ type: 'error', message: error });
  else {
    for (const word of output.split(' ')) reply({ type: 'delta', text: word + ' ' });
    reply({ type: 'final', output });
  }
}
await shutdown();
`;
