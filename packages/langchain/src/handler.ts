import {
  attributes as A,
  type ActiveSdk,
  activeSdk,
  generationAttributes,
  tracerFor,
} from '@fluxloop/sdk/instrumentation';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Attributes } from '@opentelemetry/api';
import { isMessage, normalize } from './messages.js';
import { registerLangChainParent } from './parent-resolver.js';
import {
  conversationId,
  firstGeneration,
  isAgentRun,
  isControlFlow,
  isHidden,
  langGraphAttributes,
  modelRequestAttributes,
  modelResponseInfo,
  runName,
  type SerializedLike,
  userTags,
} from './run-attributes.js';
import { RunTracker } from './run-tracker.js';
import { VERSION } from './version.js';

type Meta = Record<string, unknown> | undefined;

export interface FluxLoopCallbackHandlerOptions {
  /** LangChain keeps one handler per name in a run: give a second handler another name. */
  name?: string;
  /** Runs tracked at once; beyond it the oldest is closed (marked abandoned) and forgotten. Default 10,000. */
  maxOpenRuns?: number;
  /** Also trace the runs LangChain marks hidden (LangGraph's __start__ and channel plumbing). Default false. */
  includeHiddenRuns?: boolean;
}

/**
 * Traces LangChain.js and LangGraph.js runs as OpenTelemetry spans that land in FluxLoop records: one span per
 * run (model call → generation, tool, retriever, chain / graph node → chain, LangGraph graph or AgentExecutor →
 * agent), parents from parentRunId, GenAI attributes, content under the SDK's capture mode and redaction.
 * One instance can serve any number of concurrent runs.
 *
 * awaitHandlers is on: LangChain otherwise queues callbacks and runs them later, outside the run's async
 * context, so a root run could not find the OTel span it was started under and every end time would lag.
 * The callbacks do synchronous work only, so awaiting them costs the run a microtask each.
 */
export class FluxLoopCallbackHandler extends BaseCallbackHandler {
  name: string;
  override awaitHandlers = true;
  private readonly runs: RunTracker;
  private readonly includeHidden: boolean;
  private detached = false;

  constructor(options: FluxLoopCallbackHandlerOptions = {}) {
    super();
    this.name = options.name ?? 'fluxloop_callback_handler';
    this.includeHidden = options.includeHiddenRuns === true;
    this.runs = new RunTracker(tracerFor(A.LANGCHAIN_SCOPE_NAME, VERSION), options.maxOpenRuns ?? 10_000);
    registerLangChainParent(this.runs);
    // Zero config: the first handler, like the first wrapper call, configures FluxLoop from the environment.
    activeSdk();
  }

  /** Stops recording (uninstrumentLangChain() calls this). Runs already open are left to end unrecorded. */
  detach(): void {
    this.detached = true;
  }

  /** Runs started and not yet ended (for leak checks). */
  get openRuns(): number {
    return this.runs.size;
  }

  /** Runs closed because too many were open at once. */
  get abandonedRuns(): number {
    return this.runs.abandoned;
  }

  // LangChain's CallbackManager passes (chain, inputs, runId, parentRunId, tags, metadata, runType, runName):
  // the parameter order of @langchain/core's own declaration of this method does not match what it calls.
  override handleChainStart(
    chain: SerializedLike,
    inputs: unknown,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Meta,
    _runType?: string,
    name?: string,
  ): void {
    this.guard((sdk) => {
      if (!this.includeHidden && isHidden(tags)) return this.runs.startHidden(runId, parentRunId);
      const runNameValue = runName(chain, name, 'chain');
      const agentRun = isAgentRun(chain);
      const node = typeof metadata?.langgraph_node === 'string' ? metadata.langgraph_node : undefined;
      const isNode = node !== undefined && node === runNameValue;
      const attributes: Attributes = isNode ? langGraphAttributes(metadata) : {};
      if (agentRun) {
        attributes[A.GEN_AI_OPERATION_NAME] = A.GenAiOperation.invokeAgent;
        attributes[A.GEN_AI_AGENT_NAME] = runNameValue;
      }
      this.runs.start(sdk, {
        runId,
        parentRunId,
        name: runNameValue,
        kind: agentRun ? 'agent' : 'chain',
        attributes: withTags(attributes, tags),
        input: inputs,
        conversationId: conversationId(metadata),
        ...(isNode ? { node } : {}),
        isGraph: agentRun,
      });
    });
  }

  override handleChainEnd(outputs: unknown, runId: string): void {
    this.guard((sdk) => this.runs.end(sdk, runId, outputs));
  }

  override handleChainError(error: unknown, runId: string): void {
    this.guard((sdk) => this.runs.fail(sdk, runId, error, isControlFlow(error)));
  }

  override handleChatModelStart(
    llm: SerializedLike,
    messages: unknown[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Meta,
    tags?: string[],
    metadata?: Meta,
    name?: string,
  ): void {
    this.guard((sdk) =>
      this.startModel(sdk, runId, parentRunId, runName(llm, name, 'chat_model'), A.GenAiOperation.chat, {
        extraParams,
        tags,
        metadata,
        input: messages.length === 1 ? messages[0] : messages,
      }),
    );
  }

  override handleLLMStart(
    llm: SerializedLike,
    prompts: string[],
    runId: string,
    parentRunId?: string,
    extraParams?: Meta,
    tags?: string[],
    metadata?: Meta,
    name?: string,
  ): void {
    this.guard((sdk) =>
      this.startModel(sdk, runId, parentRunId, runName(llm, name, 'llm'), A.GenAiOperation.textCompletion, {
        extraParams,
        tags,
        metadata,
        input: prompts.length === 1 ? prompts[0] : prompts,
      }),
    );
  }

  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): void {
    this.guard(() => this.runs.token(runId));
  }

  override handleLLMEnd(output: Parameters<typeof modelResponseInfo>[0], runId: string): void {
    this.guard((sdk) => {
      const { message, text } = firstGeneration(output);
      const attributes = generationAttributes(modelResponseInfo(output));
      this.runs.end(sdk, runId, message ?? text, attributes);
    });
  }

  override handleLLMError(error: unknown, runId: string): void {
    this.guard((sdk) => this.runs.fail(sdk, runId, error, false));
  }

  override handleToolStart(
    tool: SerializedLike,
    input: string,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    _metadata?: Meta,
    name?: string,
    toolCallId?: string,
  ): void {
    this.guard((sdk) => {
      const toolName = runName(tool, name, 'tool');
      const attributes: Attributes = {
        [A.GEN_AI_OPERATION_NAME]: A.GenAiOperation.executeTool,
        [A.GEN_AI_TOOL_NAME]: toolName,
      };
      if (toolCallId) attributes[A.GEN_AI_TOOL_CALL_ID] = toolCallId;
      this.runs.start(sdk, {
        runId,
        parentRunId,
        name: toolName,
        kind: 'tool',
        attributes: withTags(attributes, tags),
        input: parseJsonObject(input),
      });
    });
  }

  override handleToolEnd(output: unknown, runId: string): void {
    // A tool's result arrives as a ToolMessage: its content is the result.
    this.guard((sdk) => this.runs.end(sdk, runId, isMessage(output) ? output.content : output));
  }

  override handleToolError(error: unknown, runId: string): void {
    this.guard((sdk) => this.runs.fail(sdk, runId, error, isControlFlow(error)));
  }

  override handleRetrieverStart(
    retriever: SerializedLike,
    query: string,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    _metadata?: Meta,
    name?: string,
  ): void {
    this.guard((sdk) =>
      this.runs.start(sdk, {
        runId,
        parentRunId,
        name: runName(retriever, name, 'retriever'),
        kind: 'retriever',
        attributes: withTags({}, tags),
        input: query,
      }),
    );
  }

  override handleRetrieverEnd(documents: { pageContent: string; metadata?: unknown }[], runId: string): void {
    this.guard((sdk) =>
      this.runs.end(
        sdk,
        runId,
        documents.map((d) => ({ page_content: d.pageContent, metadata: d.metadata })),
      ),
    );
  }

  override handleRetrieverError(error: unknown, runId: string): void {
    this.guard((sdk) => this.runs.fail(sdk, runId, error, false));
  }

  /** Classic agents' decisions, as events on the agent's span. */
  override handleAgentAction(action: { tool: string; toolInput: unknown; log?: string }, runId: string): void {
    this.guard((sdk) =>
      this.runs.event(runId, 'agent.action', {
        [A.GEN_AI_TOOL_NAME]: action.tool,
        'agent.tool_input': sdk.capture.data(action.toolInput),
        ...(action.log ? { 'agent.log': sdk.capture.text(action.log) } : {}),
      }),
    );
  }

  override handleAgentEnd(finish: { returnValues: unknown }, runId: string): void {
    this.guard((sdk) =>
      this.runs.event(runId, 'agent.finish', { 'agent.return_values': sdk.capture.data(finish.returnValues) }),
    );
  }

  /** dispatchCustomEvent() from inside a run: an event on that run's span. */
  override handleCustomEvent(eventName: string, data: unknown, runId: string): void {
    this.guard((sdk) => this.runs.event(runId, eventName, { 'event.data': sdk.capture.data(normalize(data)) }));
  }

  private startModel(
    sdk: ActiveSdk,
    runId: string,
    parentRunId: string | undefined,
    name: string,
    operation: string,
    call: { extraParams: Meta; tags: string[] | undefined; metadata: Meta; input: unknown },
  ): void {
    const attributes = modelRequestAttributes(call.extraParams, call.metadata);
    attributes[A.GEN_AI_OPERATION_NAME] = operation;
    this.runs.start(sdk, {
      runId,
      parentRunId,
      name,
      kind: 'generation',
      attributes: withTags(attributes, call.tags),
      input: call.input,
    });
  }

  /** Tracing never throws into LangChain (its default raiseError=false would only log it anyway). */
  private guard(run: (sdk: ActiveSdk) => void): void {
    if (this.detached) return;
    const sdk = activeSdk();
    if (!sdk.enabled) return;
    try {
      run(sdk);
    } catch (err) {
      sdk.reporter.warn('langchain', `LangChain tracing failed and was skipped: ${(err as Error)?.message ?? err}`);
    }
  }
}

function withTags(attributes: Attributes, tags: string[] | undefined): Attributes {
  const tagList = userTags(tags);
  if (tagList.length > 0) attributes['langchain.tags'] = tagList;
  return attributes;
}

/** Tool inputs arrive as text; a JSON object's text is recorded as the object. */
function parseJsonObject(input: string): unknown {
  if (typeof input !== 'string' || !input.startsWith('{')) return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
