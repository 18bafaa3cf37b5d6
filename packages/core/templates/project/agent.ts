/**
 * An example agent that runs offline (no model, no API key): a shop assistant that answers from two tools and
 * records its decision as an event. Every call of run() is one trace:
 *
 *   shopAssistant (agent)
 *   ├── intent.detected (event)
 *   └── lookupOrder or searchFaq (tool)
 *
 * Replace the body with your own agent and keep it wrapped in agent(), so that experiments (and your app) trace it.
 */
import { agent, event, tool } from '@fluxloop/sdk';

interface Order {
  id: string;
  status: string;
  eta: string;
}

const ORDERS: Record<string, Order> = {
  'A-1001': { id: 'A-1001', status: 'shipped', eta: 'Thursday' },
  'A-1002': { id: 'A-1002', status: 'being packed', eta: 'next Monday' },
};

const FAQ = [
  { keywords: ['return', 'refund'], answer: 'You can return any item within 30 days for a full refund.' },
  { keywords: ['shipping', 'deliver'], answer: 'Standard shipping takes 3-5 business days.' },
  { keywords: ['open', 'hours'], answer: 'Support is open Monday to Friday, 9:00-17:00.' },
];

/** A tool: its argument and result are captured as the observation's input and output. */
export const lookupOrder = tool(async function lookupOrder(orderId: string): Promise<Order | null> {
  return ORDERS[orderId] ?? null;
});

export const searchFaq = tool(async function searchFaq(question: string): Promise<string | null> {
  const text = question.toLowerCase();
  return FAQ.find((entry) => entry.keywords.some((word) => text.includes(word)))?.answer ?? null;
});

/** The experiment's target (configs/simulation.yaml: runner.target: ./agent.ts:run). */
export const run = agent(async function shopAssistant(input: string): Promise<string> {
  const orderId = input.toUpperCase().match(/\b[A-Z]-\d{4}\b/)?.[0];
  event('intent.detected', { intent: orderId ? 'order_status' : 'faq' });
  if (orderId) {
    const order = await lookupOrder(orderId);
    return order
      ? `Order ${order.id} is ${order.status}; expected ${order.eta}.`
      : `I could not find order ${orderId}. Please check the number.`;
  }
  return (await searchFaq(input)) ?? 'I am not sure about that. A colleague will get back to you.';
});
