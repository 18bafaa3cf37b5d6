import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export interface ProjectEnvironment {
  /** What FluxLoop and its targets see: the project's .env under the real environment (the real one wins). */
  vars: Readonly<Record<string, string | undefined>>;
  /** The keys that came from .env (and were not overridden by the real environment). */
  fromDotenv: readonly string[];
  /** The .env file read, if there was one. */
  dotenvPath?: string;
}

/** Reads `<root>/.env` without touching process.env: targets get the merged view through their own env. */
export function loadProjectEnvironment(
  root: string,
  env: Readonly<Record<string, string | undefined>>,
): ProjectEnvironment {
  const dotenvPath = path.join(root, '.env');
  let text: string;
  try {
    text = fs.readFileSync(dotenvPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { vars: { ...env }, fromDotenv: [] };
    throw err;
  }
  const parsed = parseEnv(text) as Record<string, string>;
  const fromDotenv = Object.keys(parsed).filter((key) => env[key] === undefined);
  const vars: Record<string, string | undefined> = { ...env };
  for (const key of fromDotenv) vars[key] = parsed[key];
  return { vars, fromDotenv, dotenvPath };
}
