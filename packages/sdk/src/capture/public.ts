/**
 * `@fluxloop/sdk/capture`: redaction and bounded serialization without the tracing runtime (no OpenTelemetry SDK
 * is loaded), for tools that clean data the way the SDK does: the CLI's config redaction, error messages.
 */

export { SDK_VERSION } from '../version.js';
export * from './index.js';
