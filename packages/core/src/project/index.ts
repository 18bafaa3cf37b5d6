export { loadProjectEnvironment, type ProjectEnvironment } from './dotenv.js';
export {
  baseInputEntries,
  DEFAULT_INPUTS_FILE,
  type InputEntries,
  readInputEntries,
  readInputsFile,
} from './entries.js';
export { expandTemplate, templateVariables } from './env-template.js';
export { type FindProjectOptions, findProjectRoot } from './find.js';
export { type LoadProjectOptions, loadProject, type Project, readYamlFile } from './load.js';
export { SCHEMA_FILE_NAMES, SCHEMAS, SchemaChecker, type SchemaName } from './schema-check.js';
export { parseTargetSpec, type TargetSpec } from './target-spec.js';
export * from './types.js';
export { configWhere, withLocations } from './where.js';
export { dottedPath, parseYamlSource, pathSegments, type YamlSource } from './yaml-source.js';
