import * as lcContext from '@langchain/core/context';
import { FluxLoopCallbackHandler, type FluxLoopCallbackHandlerOptions } from './handler.js';

/** The context variable the configure hook reads a handler from: one per handler name, so two can coexist. */
const contextVariable = (name: string) => `fluxloop_callback_handler:${name}`;

type ContextModule = Pick<typeof lcContext, 'registerConfigureHook' | 'setContextVariable'>;

export interface InstrumentOptions extends FluxLoopCallbackHandlerOptions {
  /**
   * The `@langchain/core/context` module of the application. The hook is registered on one copy of
   * @langchain/core, and an application that loads another copy (its CommonJS build while this package loaded
   * the ESM one, or a second version) must pass its own: `instrumentLangChain({ context: await
   * import('@langchain/core/context') })`.
   */
  context?: ContextModule;
}

/**
 * Attaches one FluxLoopCallbackHandler to every LangChain and LangGraph run in the process, without passing
 * `callbacks` anywhere, through LangChain's configure hook. Call it once at start-up, before the runs you want
 * traced (the handler is set as a context variable, which async work started earlier does not see). Returns
 * the handler.
 */
export function instrumentLangChain(options: InstrumentOptions = {}): FluxLoopCallbackHandler {
  const { context = lcContext, ...handlerOptions } = options;
  const handler = new FluxLoopCallbackHandler(handlerOptions);
  context.registerConfigureHook({ contextVar: contextVariable(handler.name) });
  context.setContextVariable(contextVariable(handler.name), handler);
  return handler;
}

/**
 * Detaches a handler instrumentLangChain() attached: it records nothing from now on, and new runs started from
 * this async context no longer get it. (A context variable only changes the async context it is set in, so the
 * handler may still be attached to runs elsewhere; detached, it ignores them.)
 */
export function uninstrumentLangChain(
  handler: FluxLoopCallbackHandler,
  options: { context?: ContextModule } = {},
): void {
  handler.detach();
  (options.context ?? lcContext).setContextVariable(contextVariable(handler.name), undefined);
}
