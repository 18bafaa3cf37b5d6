import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { type ChatMessage, handleMessage } from './handler.js';

export interface ChatServer {
  url: string;
  close(): Promise<void>;
}

/** A ws server on 127.0.0.1 that hands every message to the wrapped handler, with the client's socket. */
export async function startServer(port = 0): Promise<ChatServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ChatMessage;
      handleMessage(socket, message).catch((err: unknown) => {
        socket.send(JSON.stringify({ type: 'error', text: String(err) }));
      });
    });
  });
  const { port: bound } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
