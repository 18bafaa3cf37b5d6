import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel, type BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';

export const MODEL = 'scripted-mini';
export const RESPONSE_MODEL = 'scripted-mini-2025-01-01';

export interface Turn {
  content: string;
  toolCalls?: { id: string; name: string; args: Record<string, unknown> }[];
}

/** Decides the model's next turn from the conversation so far (deterministic, so concurrent runs do not mix). */
export type Policy = (messages: BaseMessage[]) => Turn;

const text = (m: BaseMessage | undefined): string => (typeof m?.content === 'string' ? m.content : '');

/**
 * The default policy of a tool-calling agent: the first turn asks `lookup_order` about the human's question (the
 * call id is derived from it, so each conversation's tool span can be told apart), the turn after the tool
 * answered repeats the tool's result.
 */
export const lookupPolicy: Policy = (messages) => {
  const tool = messages.find((m) => m instanceof ToolMessage);
  if (tool) return { content: `Answer: ${text(tool)}` };
  const question = text(messages.find((m) => m.getType() === 'human'));
  return {
    content: '',
    toolCalls: [{ id: `call-${question}`, name: 'lookup_order', args: { orderId: question } }],
  };
};

/**
 * A real LangChain chat model (BaseChatModel runs every callback) whose answers come from a policy: AIMessages
 * with tool_calls, usage_metadata (input = 10 per message in, output = 5 per turn) and response_metadata, so the
 * handler sees what a provider integration gives it.
 */
export class ScriptedChatModel extends BaseChatModel {
  static override lc_name() {
    return 'ScriptedChatModel';
  }

  private readonly policy: Policy;
  /** Wait before answering, and before each streamed chunk, so that concurrent runs interleave. */
  private readonly delayMs: number;

  constructor(options: { policy?: Policy; delayMs?: number } = {}) {
    super({});
    this.policy = options.policy ?? lookupPolicy;
    this.delayMs = options.delayMs ?? 0;
  }

  _llmType(): string {
    return 'scripted';
  }

  override getLsParams(options: this['ParsedCallOptions']) {
    return { ...super.getLsParams(options), ls_provider: 'scripted', ls_model_name: MODEL };
  }

  override invocationParams(): Record<string, unknown> {
    return { model: MODEL, temperature: 0 };
  }

  /** Tools are chosen by the policy: binding them changes nothing. */
  override bindTools(): this {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    await this.pause();
    const message = this.reply(messages);
    return { generations: [{ message, text: message.text }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    _options: BaseChatModelCallOptions,
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.reply(messages);
    const pieces = reply.text.match(/.{1,4}/g) ?? [''];
    for (let i = 0; i < pieces.length; i++) {
      await this.pause();
      const last = i === pieces.length - 1;
      const chunk = new ChatGenerationChunk({
        text: pieces[i]!,
        message: new AIMessageChunk({
          content: pieces[i]!,
          ...(last
            ? {
                usage_metadata: reply.usage_metadata,
                response_metadata: reply.response_metadata,
                tool_call_chunks: reply.tool_calls?.map((c, index) => ({
                  id: c.id,
                  name: c.name,
                  args: JSON.stringify(c.args),
                  index,
                  type: 'tool_call_chunk' as const,
                })),
              }
            : {}),
        }),
      });
      yield chunk;
      await runManager?.handleLLMNewToken(pieces[i]!, undefined, undefined, undefined, undefined, { chunk });
    }
  }

  private async pause(): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
  }

  private reply(messages: BaseMessage[]): AIMessage {
    const turn = this.policy(messages);
    const input = 10 * messages.length;
    return new AIMessage({
      content: turn.content,
      tool_calls: (turn.toolCalls ?? []).map((c) => ({ ...c, type: 'tool_call' as const })),
      usage_metadata: { input_tokens: input, output_tokens: 5, total_tokens: input + 5 },
      response_metadata: { model_name: RESPONSE_MODEL, finish_reason: turn.toolCalls ? 'tool_calls' : 'stop' },
    });
  }
}
