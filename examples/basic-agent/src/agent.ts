import { agent, event, generation, tool, updateTrace } from '@fluxloop/sdk';

interface Order {
  id: string;
  status: 'processing' | 'shipped' | 'delivered';
  eta: string;
}

const ORDERS: Record<string, Order> = {
  'A-1001': { id: 'A-1001', status: 'shipped', eta: 'Thursday' },
  'A-1002': { id: 'A-1002', status: 'processing', eta: 'next week' },
};

/** A tool: looks an order up. Its arguments and result are captured as the observation's input and output. */
export const lookupOrder = tool(async function lookupOrder(orderId: string): Promise<Order | null> {
  return ORDERS[orderId] ?? null;
});

/**
 * A model call. Offline it is a deterministic fake that answers in the OpenAI chat-completion shape, so
 * generation() records the model name and token usage exactly as it would for the real API.
 */
export const callModel = generation(async function callModel(request: { model: string; messages: string[] }) {
  const prompt = request.messages.join('\n');
  const content = prompt.includes('not found')
    ? 'I could not find that order. Could you check the number?'
    : `Your order is ${prompt.match(/status: (\w+)/)?.[1] ?? 'on its way'}.`;
  return {
    id: 'chatcmpl-offline',
    object: 'chat.completion',
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: prompt.length >> 2, completion_tokens: content.length >> 2 },
  };
});

/** The agent entry point: one trace per call. */
export const supportAgent = agent(async function supportAgent(question: string, customerId: string) {
  updateTrace({ userId: customerId, tags: ['example'] });
  const orderId = question.match(/[A-Z]-\d{4}/)?.[0];
  event('intent.detected', { intent: orderId ? 'order_status' : 'other' });
  const order = orderId ? await lookupOrder(orderId) : null;
  const facts = order ? `order ${order.id} status: ${order.status}, eta ${order.eta}` : 'order not found';
  const reply = await callModel({ model: 'fake-gpt-4o-mini', messages: [question, facts] });
  return reply.choices[0]!.message.content;
});

/**
 * The experiment target (configs/simulation.yaml runner.target, with pass_context): the runner calls it once per
 * run with the input and the run's context; the persona plays the customer.
 */
export async function runExperiment(question: string, context: { persona: string | null }): Promise<string> {
  return supportAgent(question, context.persona ?? 'anonymous');
}
