/**
 * The experiment target (configs/simulation.yaml runner.target): `fluxloop run experiment` loads this module
 * into its own process, after registering the tracer provider of the run, and calls run() once per input.
 * instrumentLangChain() attaches FluxLoop's handler to every LangChain / LangGraph run, so each run's trace holds
 * the graph, its nodes, the model calls (with token counts) and the tool calls under the runner's root span.
 * Offline by default (the fake model); with OPENAI_API_KEY set, a real ChatOpenAI (see model.ts).
 */
import { instrumentLangChain } from '@fluxloop/langchain';
import { agent } from '@fluxloop/sdk';
import { HumanMessage } from '@langchain/core/messages';
import { buildSupportGraph } from './graph.js';
import { chooseModel } from './model.js';

instrumentLangChain();
const graph = buildSupportGraph(chooseModel().model);

export const run = agent(async function supportAgent(question: string): Promise<string> {
  const state = await graph.invoke({ messages: [new HumanMessage(question)] });
  const reply = state.messages.at(-1);
  return typeof reply?.content === 'string' ? reply.content : JSON.stringify(reply?.content ?? '');
});
