import * as lcContext from '@langchain/core/context';
import { FluxLoopCallbackHandler, type FluxLoopCallbackHandlerOptions } from './handler.js';

/** The context variable the configure hook reads the handler from. */
const CONTEXT_VARIABLE = 'fluxloop_callback_handler';

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
  context.registerConfigureHook({ contextVar: CONTEXT_VARIABLE });
  context.setContextVariable(CONTEXT_VARIABLE, handler);
  return handler;
}
