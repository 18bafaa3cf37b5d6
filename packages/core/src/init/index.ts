export { corePackage, findInstalledPackage, type PackageInfo, readPackageJson } from './core-package.js';
export {
  type InitAction,
  InitConflictError,
  type InitFileResult,
  type InitProjectOptions,
  type InitResult,
  initProject,
} from './init-project.js';
export { projectNameProblem } from './project-name.js';
