import path from 'node:path';
import { SDK_VERSION } from '@fluxloop/sdk/capture';
import { corePackage, findInstalledPackage } from '../init/core-package.js';
import { type CheckResult, type DoctorSettings, fail, ok, skip, warn } from './types.js';

const MIN_NODE_MAJOR = 20;

export function checkNode(settings: DoctorSettings): CheckResult {
  const version = settings.nodeVersion.replace(/^v/, '');
  const major = Number(version.split('.')[0]);
  if (Number.isInteger(major) && major >= MIN_NODE_MAJOR) return ok('node', `Node.js ${version}`);
  return fail(
    'node',
    `Node.js ${version}: FluxLoop needs ${MIN_NODE_MAJOR} or newer`,
    `install Node.js ${MIN_NODE_MAJOR} or newer (nvm install ${MIN_NODE_MAJOR}, or https://nodejs.org)`,
  );
}

/** The FluxLoop packages doing the work: they are released together, so their versions should agree. */
export function checkPackages(settings: DoctorSettings, projectRoot: string | undefined): CheckResult {
  const versions: [string, string][] = [];
  if (settings.cliVersion) versions.push(['fluxloop', settings.cliVersion]);
  const core = corePackage().version;
  versions.push(['@fluxloop/core', core], ['@fluxloop/sdk', SDK_VERSION]);
  const langchain = projectRoot ? findInstalledPackage('@fluxloop/langchain', projectRoot) : undefined;
  if (langchain) versions.push(['@fluxloop/langchain', langchain.version]);
  const detail = versions.map(([name, version]) => `${name} ${version}`).join(', ');
  const differing = versions.filter(([, version]) => version !== core);
  if (differing.length === 0) return ok('packages', detail);
  return warn(
    'packages',
    `${detail}: versions differ`,
    `FluxLoop packages are released together: install matching versions (${versions.map(([n]) => `${n}@${core}`).join(' ')})`,
  );
}

/** The copy of @fluxloop/sdk the project's own code (the agent) imports. */
export function checkProjectSdk(projectRoot: string | undefined): CheckResult {
  const name = 'project sdk';
  if (!projectRoot) return skip(name, 'no project');
  const installed = findInstalledPackage('@fluxloop/sdk', projectRoot);
  if (!installed) {
    return warn(
      name,
      `the project does not resolve @fluxloop/sdk (no node_modules/@fluxloop/sdk in ${projectRoot} or above)`,
      `run npm install in the project (or npm install @fluxloop/sdk@${SDK_VERSION}); agent() and tool() come from it`,
    );
  }
  const where = path.relative(projectRoot, installed.root) || installed.root;
  if (installed.version === SDK_VERSION) return ok(name, `@fluxloop/sdk ${installed.version} (${where})`);
  return warn(
    name,
    `the project has @fluxloop/sdk ${installed.version} (${where}); the CLI ships ${SDK_VERSION}`,
    `npm install @fluxloop/sdk@${SDK_VERSION} in the project so its spans match what the CLI expects`,
  );
}
