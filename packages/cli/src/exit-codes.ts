/** The CLI's exit codes (docs/cli.md). */
export const ExitCode = {
  ok: 0,
  /** A quality gate failed: runs failed, an evaluation threshold, a regression. */
  gateFailed: 1,
  /** Bad usage or configuration: the message says what to change. */
  usage: 2,
  /** A bug or an unexpected failure of FluxLoop itself. */
  internal: 3,
  /** Stopped by SIGINT (Ctrl-C). */
  interrupted: 130,
} as const;

/** An error whose message is for the user, with the exit code it ends the command with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
  }
}
