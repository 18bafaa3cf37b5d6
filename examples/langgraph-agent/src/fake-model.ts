import type { ToolDefinition } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
  type LangSmithParams,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';

export const FAKE_MODEL_NAME = 'fake-support-model';

export interface FakeSupportChatModelCallOptions extends BaseChatModelCallOptions {
  /** Tools bound with bindTools(), in OpenAI's function format (what a real model would be sent). */
  tools?: ToolDefinition[];
}

/**
 * A deterministic offline chat model that plays a support agent with one tool, `lookup_order`:
 *   - a question that names an order (A-1001) gets a tool call for lookup_order on the first turn;
 *   - once the conversation ends with the tool's result, it answers from that result;
 *   - anything else gets a request for the order number.
 * Each reply carries usage_metadata (about four characters a token) and response_metadata, as a provider's
 * integration would, so the trace shows the model name and token counts.
 */
export class FakeSupportChatModel extends BaseChatModel<FakeSupportChatModelCallOptions> {
  readonly model = FAKE_MODEL_NAME;
  private calls = 0;

  constructor(fields: BaseChatModelParams = {}) {
    super(fields);
  }

  static override lc_name(): string {
    return 'FakeSupportChatModel';
  }

  override _llmType(): string {
    return 'fake-support';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<FakeSupportChatModelCallOptions>) {
    return this.withConfig({ tools: tools.map((t) => convertToOpenAITool(t)), ...kwargs });
  }

  override invocationParams(options?: this['ParsedCallOptions']) {
    return { model: this.model, temperature: 0, tools: options?.tools?.map((t) => t.function.name) };
  }

  override getLsParams(options: this['ParsedCallOptions']): LangSmithParams {
    return { ...super.getLsParams(options), ls_provider: 'fake', ls_model_name: this.model, ls_temperature: 0 };
  }

  override async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    this.calls++;
    const last = messages.at(-1);
    const canLookUp = options.tools?.some((t) => t.function.name === 'lookup_order') ?? false;
    let message: AIMessage;
    if (last?.getType() === 'tool') {
      message = this.reply(messages, answerFromLookup(textOf(last)), 'stop');
    } else {
      const orderId = textOf(last).match(/\b[A-Z]-\d{4}\b/)?.[0];
      message =
        orderId && canLookUp
          ? this.reply(messages, '', 'tool_calls', [
              { id: `call_fake_${this.calls}`, name: 'lookup_order', args: { order_id: orderId }, type: 'tool_call' },
            ])
          : this.reply(messages, 'Could you tell me your order number? It looks like A-1001.', 'stop');
    }
    return { generations: [{ text: textOf(message), message, generationInfo: { finish_reason: finishOf(message) } }] };
  }

  private reply(
    prompt: BaseMessage[],
    content: string,
    finishReason: string,
    toolCalls: NonNullable<AIMessage['tool_calls']> = [],
  ): AIMessage {
    const inputTokens = tokens(prompt.map(textOf).join('\n'));
    const outputTokens = tokens(content + JSON.stringify(toolCalls.map((c) => [c.name, c.args])));
    return new AIMessage({
      content,
      tool_calls: toolCalls,
      usage_metadata: {
        input_tokens: inputTokens,
        output_tokens: outputTokens,
        total_tokens: inputTokens + outputTokens,
      },
      response_metadata: { model_name: this.model, finish_reason: finishReason },
    });
  }
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function textOf(message: BaseMessage | undefined): string {
  if (!message) return '';
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content);
}

function finishOf(message: AIMessage): string {
  return String(message.response_metadata.finish_reason);
}

/** The final answer, from lookup_order's JSON result. */
function answerFromLookup(result: string): string {
  let order: { id?: string; status?: string; eta?: string; found?: boolean } = {};
  try {
    order = JSON.parse(result);
  } catch {
    // Not JSON: treated as not found below.
  }
  if (!order.id || order.found === false) return 'I could not find that order. Could you check the number?';
  if (order.status === 'delivered') return `Order ${order.id} was delivered ${order.eta}.`;
  return `Order ${order.id} is ${order.status}; it should arrive ${order.eta}.`;
}
