/** @fluxloop/core's version, for the schema URL in generated files (kept in step with package.json by a test). */
export const CORE_VERSION = '0.1.0';
