/**
 * A real chat session: starts the server, connects a ws client, sends a few messages and waits for each reply.
 * With recording on (`fluxloop record enable`), every handler call lands in recordings/args_recording.jsonl.
 */
import { shutdown } from '@fluxloop/sdk';
import WebSocket from 'ws';
import { startServer } from './server.js';

const MESSAGES = ['Hi, where is my order A-1001?', 'Can I get a refund for A-1002?', 'hello?'];

const server = await startServer();
const client = new WebSocket(server.url);
await new Promise<void>((resolve, reject) => client.once('open', resolve).once('error', reject));
for (const [i, text] of MESSAGES.entries()) {
  const reply = new Promise<string>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = JSON.parse(String(data)) as { type: string; text?: string };
      if (parsed.type === 'typing') return;
      client.off('message', onMessage);
      resolve(parsed.text ?? '');
    };
    client.on('message', onMessage);
  });
  client.send(JSON.stringify({ text, user: 'demo-user', sessionId: `s-${i}` }));
  console.log(`> ${text}\n< ${await reply}`);
}
client.close();
await server.close();
await shutdown();
