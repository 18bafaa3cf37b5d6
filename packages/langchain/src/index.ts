/**
 * @fluxloop/langchain: LangChain.js and LangGraph.js runs as OpenTelemetry spans and FluxLoop records.
 */
export { FluxLoopCallbackHandler, type FluxLoopCallbackHandlerOptions } from './handler.js';
export { type InstrumentOptions, instrumentLangChain, uninstrumentLangChain } from './instrument.js';
export { VERSION } from './version.js';
