/**
 * @fluxloop/core: the experiment engine as a library (docs/design/experiments.md). The CLI is a thin layer over it.
 */

export * from './doctor/index.js';
export * from './errors.js';
export * from './init/index.js';
export * from './inputs/index.js';
export * from './project/index.js';
export * from './record/index.js';
export * from './reduce/index.js';
export * from './runner/index.js';
export * from './status/index.js';
