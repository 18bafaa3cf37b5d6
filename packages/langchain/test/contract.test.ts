import path from 'node:path';
import { validateJsonlFile } from '@fluxloop/contract/validate';
import { HumanMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { Command, MemorySaver } from '@langchain/langgraph';
import { afterEach, describe, expect, it } from 'vitest';
import { traced } from './helpers/env.js';
import { agentLoop, approval, twoSteps } from './helpers/graphs.js';
import { ScriptedChatModel } from './helpers/models.js';
import { resetFluxLoop } from './helpers/sdk.js';

afterEach(resetFluxLoop);

describe('records of LangChain runs', () => {
  it('validate against the contract schemas, line by line, for every kind of run', async () => {
    const env = await traced();
    const config = env.config;
    const ask = (q: string) => ({ messages: [new HumanMessage(q)] });
    const failing = new ScriptedChatModel({
      policy: () => {
        throw new Error('model overloaded');
      },
    });
    const paused = { ...config, configurable: { thread_id: 'contract' } };
    const graph = approval(new MemorySaver());

    await agentLoop().invoke(ask('A-1'), config);
    await agentLoop({ model: failing })
      .invoke(ask('A-2'), config)
      .catch(() => undefined);
    await graph.invoke({ steps: [] }, paused);
    await graph.invoke(new Command({ resume: 'ok' }), paused);
    for await (const _ of await twoSteps().stream({ steps: [] }, { ...config, streamMode: 'debug' })) {
    }
    for await (const _ of await new FakeListChatModel({ responses: ['hi'] }).stream('hello', config)) {
    }
    const { traces, observations } = await env.records();
    expect(traces.map((t) => t.status).sort()).toEqual([
      'error',
      'success',
      'success',
      'success',
      'success',
      'success',
    ]);
    expect(new Set(observations.map((o) => o.type))).toEqual(
      new Set(['agent', 'chain', 'generation', 'tool', 'event']),
    );

    for (const [file, kind] of [
      ['traces.jsonl', 'trace'],
      ['observations.jsonl', 'observation'],
    ] as const) {
      const result = await validateJsonlFile(path.join(env.dir, file), kind);
      expect(result.errors).toEqual([]);
      expect(result.records).toBe(kind === 'trace' ? traces.length : observations.length);
    }
  });
});
