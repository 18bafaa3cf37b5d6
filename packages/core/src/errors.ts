/**
 * Errors a user can fix. The CLI maps UserError (and its subclasses) to exit code 2 and prints the message as is;
 * anything else is a FluxLoop bug (exit code 3).
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
}

/** Where a configuration problem is: file (relative to the project root when inside it), line and column (1-based). */
export interface ConfigIssue {
  file: string;
  line?: number;
  column?: number;
  /** Dotted path of the value inside the file (`input_generation.strategies[2]`); empty for the whole file. */
  path: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** One or more problems in the project's configuration files, every one of them reported at once. */
export class ConfigError extends UserError {
  override readonly name: string = 'ConfigError';
  readonly issues: readonly ConfigIssue[];
  /** The line above the issues (`invalid configuration:`, or the one the thrower chose). */
  readonly headline: string;

  constructor(issues: ConfigIssue[], headline?: string) {
    const lines = issues.map((issue) => `  ${formatIssue(issue)}`);
    const head =
      headline ?? (issues.length === 1 ? 'invalid configuration:' : `${issues.length} configuration problems:`);
    super(`${head}\n${lines.join('\n')}`);
    this.issues = issues;
    this.headline = head;
  }
}

/** No project where the CLI looked: the message says where it looked and how to create one. */
export class ProjectNotFoundError extends UserError {
  override readonly name: string = 'ProjectNotFoundError';
}

/** The run was stopped by the user (Ctrl-C); what finished so far has been written. */
export class InterruptedError extends Error {
  override readonly name: string = 'InterruptedError';
}
