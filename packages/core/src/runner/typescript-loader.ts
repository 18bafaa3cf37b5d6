import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { Project } from '../project/load.js';

export const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'] as const;

export function isTypeScript(file: string): boolean {
  return (TYPESCRIPT_EXTENSIONS as readonly string[]).includes(path.extname(file));
}

/** runner.tsconfig when set, else the project's own tsconfig.json if it has one, else none (no search from cwd). */
export function tsconfigFor(project: Project, configured: string | undefined): string | false {
  if (configured !== undefined) return project.resolve(configured);
  const own = project.resolve('tsconfig.json');
  return fs.existsSync(own) ? own : false;
}

/**
 * Lets `import()` load TypeScript in this process: tsx's ESM hooks and its CommonJS hook, both (a project without
 * "type": "module" compiles to CommonJS, which the ESM hooks alone cannot load: ERR_REQUIRE_CYCLE_MODULE).
 * register() rather than tsImport(): tsImport loads the agent and its packages as separate module copies, so the
 * tracer provider registered here would never see the agent's spans. tsx is imported only when a target needs it.
 * Returns the function that removes both hooks.
 */
export async function registerTypeScript(tsconfig: string | false): Promise<() => Promise<void>> {
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  let unregisterEsm: () => Promise<void>;
  try {
    unregisterEsm = esm.register({ tsconfig });
  } catch (err) {
    // tsx reads the tsconfig (and what it extends) while registering: a broken one is the project's to fix.
    throw new UserError(
      `cannot load TypeScript with ${tsconfig || 'no tsconfig'}: ${(err as Error).message} ` +
        '(fix the tsconfig, or name another one in runner.tsconfig)',
    );
  }
  // tsx's CommonJS hook takes its tsconfig from the environment only, read once while registering.
  const previous = process.env.TSX_TSCONFIG_PATH;
  if (tsconfig) process.env.TSX_TSCONFIG_PATH = tsconfig;
  let unregisterCjs: () => void;
  try {
    unregisterCjs = cjs.register();
  } finally {
    if (previous === undefined) delete process.env.TSX_TSCONFIG_PATH;
    else process.env.TSX_TSCONFIG_PATH = previous;
  }
  return async () => {
    unregisterCjs();
    await unregisterEsm();
  };
}
