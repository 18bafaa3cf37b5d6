import { assertValid } from '@fluxloop/contract/validate';
import { FluxLoopCallbackHandler, type FluxLoopCallbackHandlerOptions } from '@fluxloop/langchain';
import { type CaptureMode, configure } from '@fluxloop/sdk';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { dropIn, type Records, recordNodes, renderTree, renderTrees, spanNodes } from './sdk.js';

export interface TracedOptions extends FluxLoopCallbackHandlerOptions {
  captureContent?: CaptureMode;
}

/**
 * The application's own provider with an in-memory exporter and a FluxLoopSpanProcessor (the drop-in), FluxLoop
 * configured explicitly (so nothing comes from the environment or a .env file), and one handler.
 */
export async function traced(options: TracedOptions = {}) {
  const { captureContent = 'redacted', ...handlerOptions } = options;
  const env = await dropIn({ captureContent });
  configure({ captureContent, reporter: env.reporter });
  const handler = new FluxLoopCallbackHandler(handlerOptions);
  const spans = (): ReadableSpan[] => env.exporter.getFinishedSpans();
  return {
    ...env,
    handler,
    /** Run config that attaches the handler. */
    config: { callbacks: [handler] },
    spans,
    /** The one span with this name. */
    span(name: string): ReadableSpan {
      const found = spans().filter((s) => s.name === name);
      if (found.length !== 1) throw new Error(`expected one span named ${name}, found ${found.length}`);
      return found[0]!;
    },
    spanTree: () => renderTree(spanNodes(spans())),
    spanTrees: () => renderTrees(spanNodes(spans())),
    /** Every record written so far, each checked against the contract schemas. */
    async records(): Promise<Records> {
      const records = await env.records();
      for (const t of records.traces) assertValid('trace', t);
      for (const o of records.observations) assertValid('observation', o);
      return records;
    },
    async recordTree(): Promise<string> {
      return renderTree(recordNodes((await this.records()).observations));
    },
  };
}

/** The `state.transition` events of a graph span, as [node, step] pairs in the order they happened. */
export function transitions(span: ReadableSpan): [unknown, unknown][] {
  return span.events
    .filter((e) => e.name === 'state.transition')
    .map((e) => [e.attributes?.['langgraph.node'], e.attributes?.['langgraph.step']]);
}
