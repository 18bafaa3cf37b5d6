/** Where the CLI writes: data to stdout, logs and progress to stderr. Injected so tests can capture both. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Whether stderr is a terminal: progress bars and colour only then (and colour never with NO_COLOR). */
  errIsTTY?: boolean;
  /** Terminal width for progress bars; undefined when not a terminal. */
  columns?: number;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    errIsTTY: process.stderr.isTTY === true,
    ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  };
}
