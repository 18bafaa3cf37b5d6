import { agent, tool } from '@fluxloop/sdk';

/** What the chat client sends: one JSON message per user turn. */
export interface ChatMessage {
  text: string;
  user: string;
  sessionId: string;
}

/** The part of a ws WebSocket the handler uses: replay stands in for it with a provider that captures send(). */
export interface ReplySocket {
  send(data: string): void;
}

const ORDERS: Record<string, { status: string; eta: string }> = {
  'A-1001': { status: 'shipped', eta: 'Thursday' },
  'A-1002': { status: 'delivered', eta: 'already there' },
};

const lookupOrder = tool(async function lookup_order(orderId: string) {
  await new Promise((resolve) => setTimeout(resolve, 2));
  return ORDERS[orderId.toUpperCase()] ?? null;
});

/**
 * The bot's whole turn: it answers through the socket (a typing notice, then the reply) and returns nothing, which
 * is why it cannot be driven from a plain string: recording captures real calls, replay swaps the text.
 */
export const handleMessage = agent(async function handle_message(socket: ReplySocket, message: ChatMessage) {
  socket.send(JSON.stringify({ type: 'typing' }));
  const text = message.text.toLowerCase();
  const orderId = /\b[a-z]-?\d{4}\b/i.exec(message.text)?.[0]?.replace(/^([a-z])(\d)/i, '$1-$2');
  let reply: string;
  if (!orderId) {
    reply = 'Which order is it about? Please send the order number (like A-1001).';
  } else {
    const order = await lookupOrder(orderId);
    if (!order) reply = `I could not find order ${orderId.toUpperCase()}.`;
    else if (/refund|money back|return/.test(text)) reply = `A refund for ${orderId.toUpperCase()} is on its way.`;
    else reply = `Order ${orderId.toUpperCase()} is ${order.status}; it should arrive ${order.eta}.`;
  }
  socket.send(JSON.stringify({ type: 'reply', text: reply, sessionId: message.sessionId }));
});
