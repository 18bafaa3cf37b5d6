import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import { FakeSupportChatModel } from './fake-model.js';

export interface ChosenModel {
  model: BaseChatModel;
  /** What is used, for the console (never the key). */
  description: string;
}

/**
 * OPENAI_API_KEY set: a real ChatOpenAI (Chat Completions API), OPENAI_MODEL (default gpt-4o-mini), at
 * OPENAI_BASE_URL if given (any OpenAI-compatible server). Otherwise the offline fake model.
 */
export function chooseModel(env: NodeJS.ProcessEnv = process.env): ChosenModel {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!apiKey) {
    return {
      model: new FakeSupportChatModel(),
      description: 'offline fake model (FakeSupportChatModel); set OPENAI_API_KEY to use ChatOpenAI',
    };
  }
  const modelName = env.OPENAI_MODEL?.trim() || 'gpt-4o-mini';
  const baseURL = env.OPENAI_BASE_URL?.trim() || undefined;
  return {
    model: new ChatOpenAI({
      model: modelName,
      apiKey,
      temperature: 0,
      maxRetries: 2,
      timeout: 60_000,
      ...(baseURL ? { configuration: { baseURL } } : {}),
    }),
    description: `ChatOpenAI (${modelName}) at ${baseURL ?? 'https://api.openai.com/v1'}`,
  };
}
