/**
 * `@fluxloop/sdk/instrumentation`: what integration packages (the LangChain handler, future framework
 * integrations) need from the SDK to emit spans that land in FluxLoop records exactly like the wrappers' do:
 * the active configuration (capture mode and redaction, zero-config on first use), call-time tracers, the
 * local-root context key, and the model-response readers. Not meant for application code.
 */
export { activeSdk } from './runtime/activate.js';
export { type ActiveSdk, type ParentResolver, registerParentResolver, withEnvParent } from './runtime/registry.js';
export * as attributes from './semconv.js';
export { CapturePolicy } from './tracing/capture-policy.js';
export {
  type GenerationInfo,
  generationAttributes,
  readGenerationInfo,
  readGenerationRequest,
} from './tracing/generation-info.js';
export { setPayload } from './tracing/payload-attributes.js';
export { applyTraceFields, type TraceFields } from './tracing/trace-fields.js';
export { LOCAL_ROOT_KEY, localRoot, tracerFor } from './tracing/tracer.js';
export { SDK_VERSION } from './version.js';
