/**
 * A run of a remote target failed: the endpoint answered with an error, the process reported one or died. The
 * message is already redacted; `log` holds the last lines the target logged for the run (process targets).
 */
export class RemoteRunError extends Error {
  override readonly name: string = 'RemoteRunError';

  constructor(
    message: string,
    readonly log: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Why a run stopped when its signal fired: the signal's own reason (timeout, interrupt) when it is an Error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new RemoteRunError(reason === undefined ? 'the run was aborted' : `the run was aborted: ${String(reason)}`);
}

/**
 * Optional extension of RunContext: where a remote target sends the lines it logged for a run (a process's
 * stderr and non-protocol stdout lines), for --verbose. Targets call it when the orchestrator provides it.
 */
export interface RunLogSink {
  onLog?(line: string): void;
}
