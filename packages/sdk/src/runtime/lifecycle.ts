import { runtime } from './registry.js';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Delivers everything ended so far, from every FluxLoop processor in the process (the one FluxLoop registered
 * and any the application added to its own provider). Resolves true when all of it is stored, false when the
 * timeout passed first. Never rejects.
 */
export async function forceFlush(timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<boolean> {
  const rt = runtime();
  const results = await Promise.all([
    ...[...rt.processors].map((p) => p.flush(timeoutMs).catch(() => false)),
    rt.flushActive ? rt.flushActive(timeoutMs).catch(() => false) : Promise.resolve(true),
  ]);
  return results.every(Boolean);
}

/**
 * Flushes everything, then shuts down what FluxLoop started (its provider, processor and export worker).
 * Processors the application added to its own provider are flushed; its provider's shutdown ends them.
 * Afterwards wrappers pass through untraced until configure() is called again. Never rejects.
 */
export async function shutdown(timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<boolean> {
  const rt = runtime();
  const deactivate = rt.deactivate;
  const [owned, flushed] = await Promise.all([
    deactivate ? deactivate(timeoutMs).catch(() => false) : Promise.resolve(true),
    forceFlush(timeoutMs),
  ]);
  return owned && flushed;
}

const installed = Symbol.for('fluxloop.sdk.signal-handlers');

/**
 * Opt-in: on SIGTERM or SIGINT, flush (within timeoutMs) and then exit as the signal would have, so a
 * container stop or a Ctrl-C loses no traces. Installed once per process however often it is called.
 */
export function installSignalHandlers(options: { timeoutMs?: number } = {}): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[installed]) return;
  g[installed] = true;
  const timeoutMs = options.timeoutMs ?? 5_000;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const handler = () => {
      process.removeListener(signal, handler);
      forceFlush(timeoutMs).finally(() => {
        // Re-raising with no listener left gives the default action: the exit code a supervisor expects.
        process.kill(process.pid, signal);
      });
    };
    process.on(signal, handler);
  }
}
