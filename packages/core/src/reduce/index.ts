// The reduce area of @fluxloop/core: run results and span records -> the experiment folder's files.
export { ArtifactWriter, type ArtifactWriterOptions } from './artifact-writer.js';
export { JsonlFile } from './jsonl-file.js';
export { DurationQuantiles, EXACT_QUANTILE_CAP, exactQuantile, P2Quantile } from './quantiles.js';
export { redactConfig } from './redact-config.js';
export { addTokenUsage, emptyTokenUsage, type FinishedRun, RunStats } from './run-stats.js';
