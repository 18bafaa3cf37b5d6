import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment as FluxLoop sees it, read once at the edge: the process environment plus the FLUXLOOP_* keys
 * of the working directory's .env file (so `fluxloop record enable` works for an app run as usual). The real
 * environment wins over .env, and .env keys that are not FLUXLOOP_* are left alone: loading an app's .env is the
 * app's business.
 */
export interface Environment {
  /** The process environment. */
  env: Readonly<Record<string, string | undefined>>;
  /** FLUXLOOP_* keys from the .env file. */
  dotenv: Readonly<Record<string, string>>;
  /** The .env file that was read, if any. */
  dotenvPath?: string;
  /** Working directory relative paths resolve against. */
  cwd: string;
}

/** Every FLUXLOOP_* variable of the product, so a misspelt one is reported instead of ignored. */
export const FLUXLOOP_VARIABLES = [
  'FLUXLOOP_ENABLED',
  'FLUXLOOP_STORAGE',
  'FLUXLOOP_OUTPUT_DIR',
  'FLUXLOOP_COLLECTOR_URL',
  'FLUXLOOP_API_KEY',
  'FLUXLOOP_SPOOL_DIR',
  'FLUXLOOP_SAMPLE_RATE',
  'FLUXLOOP_CAPTURE_CONTENT',
  'FLUXLOOP_MAX_PAYLOAD_CHARS',
  'FLUXLOOP_RECORD_ARGS',
  'FLUXLOOP_RECORDING_FILE',
  'FLUXLOOP_EXPORT_THREAD',
  'FLUXLOOP_MIRROR_PAYLOADS',
  // Read by the collector and the CLI rather than the SDK.
  'FLUXLOOP_COLLECTOR_TOKEN',
  'FLUXLOOP_PROJECT_DIR',
] as const;

export interface ReadEnvironmentOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Read the working directory's .env file (default true). */
  dotenv?: boolean;
}

export function readEnvironment(options: ReadEnvironmentOptions = {}): Environment {
  const cwd = options.cwd ?? process.cwd();
  const env = { ...(options.env ?? process.env) };
  if (options.dotenv === false) return { env, dotenv: {}, cwd };
  const dotenvPath = path.join(cwd, '.env');
  let content: string;
  try {
    content = fs.readFileSync(dotenvPath, 'utf8');
  } catch {
    return { env, dotenv: {}, cwd };
  }
  const dotenv: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseEnv(content))) {
    if (key.startsWith('FLUXLOOP_') && value !== undefined) dotenv[key] = value;
  }
  return { env, dotenv, dotenvPath, cwd };
}
