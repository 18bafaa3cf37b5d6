import path from 'node:path';
import type { RunningCollector } from '@fluxloop/collector';
import { type Command, InvalidArgumentError } from 'commander';
import { CliError, ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';

export interface ServeOptions {
  port: number;
  host: string;
  outputDir?: string;
  token?: string;
  maxBodyMb: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

/** `fluxloop collector serve`: needs no project. Resolves with the exit code once the collector has stopped. */
export function registerCollector(program: Command, io: Io, run: (code: Promise<number>) => void): void {
  const collector = program.command('collector').description('the FluxLoop collector service');
  collector
    .command('serve')
    .description('receive OTLP/HTTP spans and FluxLoop record batches, write FluxLoop records')
    .option('--port <port>', 'port to listen on', port, 8000)
    .option('--host <host>', 'address to bind (127.0.0.1 keeps it on this machine)', '127.0.0.1')
    .option('--output-dir <dir>', 'folder for the per-service records (default: FLUXLOOP_OUTPUT_DIR or ./traces)')
    .option('--token <token>', 'require Authorization: Bearer <token> (default: FLUXLOOP_COLLECTOR_TOKEN)')
    .option('--max-body-mb <mb>', 'largest request body, compressed or not', positive, 16)
    .action((options: ServeOptions) => run(serve(options, io)));
}

export async function serve(options: ServeOptions, io: Io): Promise<number> {
  const outputDir = path.resolve(io.cwd, options.outputDir ?? io.env.FLUXLOOP_OUTPUT_DIR ?? 'traces');
  const token = options.token ?? io.env.FLUXLOOP_COLLECTOR_TOKEN ?? undefined;
  let collector: RunningCollector;
  try {
    // Loaded on demand: the collector (and its OTLP decoders) is not needed by any other command.
    const { startCollector } = await import('@fluxloop/collector');
    collector = await startCollector({
      outputDir,
      host: options.host,
      port: options.port,
      ...(token ? { token } : {}),
      maxBodyBytes: Math.round(options.maxBodyMb * 1024 * 1024),
      reporter: { warn: (_key, message) => io.err(`[fluxloop] ${message}\n`) },
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(`port ${options.port} on ${options.host} is in use: choose another with --port`);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new CliError(`cannot bind to --host ${options.host}: not an address of this machine`);
    }
    if (code && ['ENOTDIR', 'EACCES', 'EPERM', 'EROFS', 'EEXIST', 'ENOENT'].includes(code)) {
      throw new CliError(`cannot write records under --output-dir ${outputDir}: ${(err as Error).message}`);
    }
    throw err;
  }
  io.err(
    `FluxLoop collector listening on ${collector.url} (records under ${outputDir}${token ? ', token required' : ''})\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  io.err(`${signal}: finishing requests under way and writing everything...\n`);
  await collector.close();
  const s = collector.stats();
  io.err(
    `collector stopped: ${s.spans} spans, ${s.batches} record batches stored (${s.duplicateSpans} duplicate spans and ` +
      `${s.duplicateBatches} duplicate batches skipped, ${s.rejectedSpans} spans rejected)\n`,
  );
  return signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.ok;
}
