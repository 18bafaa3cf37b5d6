import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, SystemMessage } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';

interface Order {
  id: string;
  status: 'processing' | 'shipped' | 'delivered';
  eta: string;
}

/** The in-memory order table the tool reads. */
const ORDERS: Record<string, Order> = {
  'A-1001': { id: 'A-1001', status: 'shipped', eta: 'on Thursday' },
  'A-1002': { id: 'A-1002', status: 'processing', eta: 'next week' },
  'A-1003': { id: 'A-1003', status: 'delivered', eta: 'on Monday' },
};

/** The agent's one tool. Its result goes back to the model as a ToolMessage (JSON text). */
export const lookupOrder = tool(
  async ({ order_id }) => JSON.stringify(ORDERS[order_id.trim().toUpperCase()] ?? { id: order_id, found: false }),
  {
    name: 'lookup_order',
    description: "Look up a customer's order by its id (like A-1001): status and expected delivery.",
    schema: z.object({ order_id: z.string().describe('The order id, like A-1001') }),
  },
);

const SYSTEM_PROMPT =
  'You are a concise customer-support agent. Use the lookup_order tool to check an order before answering ' +
  'questions about it, and answer in one sentence.';

/**
 * agent ⇄ tools: the agent node calls the model with the tools bound; if the reply asks for tool calls the
 * tools node runs them and hands the results back to the agent, otherwise the graph ends.
 */
export function buildSupportGraph(model: BaseChatModel) {
  if (!model.bindTools) throw new Error(`${model.getName()} does not support tool calling`);
  const tools = [lookupOrder];
  const modelWithTools = model.bindTools(tools);

  async function callModel(state: typeof MessagesAnnotation.State) {
    const reply = await modelWithTools.invoke([new SystemMessage(SYSTEM_PROMPT), ...state.messages]);
    return { messages: [reply] };
  }

  // The conditional edge runs as a run of its own; a name makes it readable in the trace (else "RunnableLambda").
  const routeAfterAgent = RunnableLambda.from((state: typeof MessagesAnnotation.State): 'tools' | typeof END => {
    const last = state.messages.at(-1) as AIMessage | undefined;
    return last?.tool_calls?.length ? 'tools' : END;
  }).withConfig({ runName: 'route_after_agent' });

  return new StateGraph(MessagesAnnotation)
    .addNode('agent', callModel)
    .addNode('tools', new ToolNode(tools))
    .addEdge(START, 'agent')
    .addConditionalEdges('agent', routeAfterAgent, ['tools', END])
    .addEdge('tools', 'agent')
    .compile();
}
