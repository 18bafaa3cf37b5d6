import { tool } from '@langchain/core/tools';
import {
  Annotation,
  type BaseCheckpointSaver,
  END,
  interrupt,
  type LangGraphRunnableConfig,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import { ToolNode, toolsCondition } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';
import { ScriptedChatModel } from './models.js';
import { tree } from './sdk.js';

export const lookupOrder = tool(async ({ orderId }) => `order ${orderId} shipped`, {
  name: 'lookup_order',
  description: 'Looks up an order by id',
  schema: z.object({ orderId: z.string() }),
});

export interface AgentLoopOptions {
  model?: ScriptedChatModel;
  tools?: ConstructorParameters<typeof ToolNode>[0];
  /** Passed to ToolNode: false lets a tool's error fail the node and the graph. */
  handleToolErrors?: boolean;
  checkpointer?: BaseCheckpointSaver;
}

/**
 * The tool-calling agent loop: model → tools → model → end, tools run by LangGraph's own ToolNode. The model
 * node does not pass its config on (LangChain finds the parent run by itself) and writes one custom stream
 * event per call.
 */
export function agentLoop(options: AgentLoopOptions = {}) {
  const model = options.model ?? new ScriptedChatModel();
  return new StateGraph(MessagesAnnotation)
    .addNode('model', async (state, config: LangGraphRunnableConfig) => {
      config.writer?.({ calling: 'model' });
      return { messages: [await model.invoke(state.messages)] };
    })
    .addNode('tools', new ToolNode(options.tools ?? [lookupOrder], { handleToolErrors: options.handleToolErrors }))
    .addEdge(START, 'model')
    .addConditionalEdges('model', toolsCondition, ['tools', END])
    .addEdge('tools', 'model')
    .compile(options.checkpointer ? { checkpointer: options.checkpointer } : {});
}

/** The agent loop's tree (one model → tools → model round), as spans. */
export const AGENT_LOOP_SPANS = tree`
  LangGraph [agent]
    model [chain]
      RunnableLambda [chain]
      ScriptedChatModel [generation]
    model [chain]
      RunnableLambda [chain]
      ScriptedChatModel [generation]
    tools [chain]
      lookup_order [tool]
`;

export const Steps = Annotation.Root({
  steps: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
});

/** A node that appends its own name to `steps`. */
export const step = (name: string) => async () => ({ steps: [name] });

/** A two-node chain: first → second. */
export function twoSteps(name?: string) {
  return new StateGraph(Steps)
    .addNode('first', step('first'))
    .addNode('second', step('second'))
    .addEdge(START, 'first')
    .addEdge('first', 'second')
    .addEdge('second', END)
    .compile(name ? { name } : {});
}

/** ask (interrupts, asking `question`; the resume value becomes a step) → done. */
export function approval(checkpointer: BaseCheckpointSaver, question: unknown = { ask: 'ship it?' }) {
  return new StateGraph(Steps)
    .addNode('ask', async () => ({ steps: [String(interrupt(question))] }))
    .addNode('done', step('done'))
    .addEdge(START, 'ask')
    .addEdge('ask', 'done')
    .addEdge('done', END)
    .compile({ checkpointer });
}
