/**
 * What a FluxLoop wrapper says about the function it wraps, so that replay can check a recording against the
 * function's current signature. Kept under a Symbol.for key: any copy of the SDK in the process reads it.
 */
export const WRAPPED_INFO = Symbol.for('fluxloop.wrapped.v1');

export interface WrappedInfo {
  /** The name recordings carry in `function` (for decorated methods, the method's name: the class is per call). */
  name: string;
  /** paramNames as the wrapper declares them. */
  paramNames: readonly string[] | undefined;
  /** Whether the wrapper records its calls when FLUXLOOP_RECORD_ARGS is on. */
  records: boolean;
  /** The declared parameter count of the wrapped function (Function.length). */
  length: number;
}

/** The wrapper info of a function, when it is a FluxLoop wrapper. */
export function wrappedInfo(fn: unknown): WrappedInfo | undefined {
  if (typeof fn !== 'function') return undefined;
  const info = (fn as unknown as Record<symbol, unknown>)[WRAPPED_INFO];
  return info && typeof info === 'object' ? (info as WrappedInfo) : undefined;
}
