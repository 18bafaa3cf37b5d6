/** Runs the chat server until Ctrl-C; connect any WebSocket client to the printed URL. */
import { installSignalHandlers } from '@fluxloop/sdk';
import { startServer } from './server.js';

installSignalHandlers();
const server = await startServer(Number(process.env.PORT ?? 8765));
console.log(`chat server on ${server.url} (Ctrl-C to stop)`);
