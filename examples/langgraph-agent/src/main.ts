/**
 * A LangGraph support agent with one tool, traced by FluxLoop to JSONL files.
 *
 * instrumentLangChain() attaches FluxLoop's callback handler to every LangChain / LangGraph run (no `callbacks`
 * passed anywhere), and agent() makes each question one trace. FluxLoop reads its FLUXLOOP_* settings from this
 * folder's .env (zero config); the real environment wins over the file.
 *
 *   npm start                                   offline, deterministic fake model
 *   OPENAI_API_KEY=sk-... npm start             a real ChatOpenAI (OPENAI_MODEL, OPENAI_BASE_URL optional)
 *   npm start -- "Has A-1002 shipped yet?"      your own question
 */
import path from 'node:path';
import { instrumentLangChain } from '@fluxloop/langchain';
import { agent, forceFlush, updateTrace } from '@fluxloop/sdk';
import { HumanMessage } from '@langchain/core/messages';
import { buildSupportGraph } from './graph.js';
import { chooseModel } from './model.js';
import { printLatestTrace } from './print-trace.js';

instrumentLangChain();

const { model, description } = chooseModel();
console.log(`Model: ${description}`);
const graph = buildSupportGraph(model);

/** One trace per question; the LangGraph run and everything under it nest inside it. */
const supportAgent = agent(async function supportAgent(question: string, threadId: string): Promise<string> {
  updateTrace({ tags: ['example', 'langgraph'] });
  // LangGraph's thread id: FluxLoop records it as the trace's session id.
  const state = await graph.invoke(
    { messages: [new HumanMessage(question)] },
    { configurable: { thread_id: threadId } },
  );
  const reply = state.messages.at(-1);
  return typeof reply?.content === 'string' ? reply.content : JSON.stringify(reply?.content ?? '');
});

const question = process.argv[2] ?? 'Where is my order A-1001?';
const threadId = process.env.THREAD_ID ?? 'support-thread-1';
const answer = await supportAgent(question, threadId);
console.log(`> ${question}\n  ${answer}`);

await forceFlush();
printLatestTrace(path.resolve(process.env.FLUXLOOP_OUTPUT_DIR ?? 'traces'));
