import type { Project } from '../project/load.js';
import { loadModuleTarget } from './module-target.js';
import type { ExperimentSettings } from './settings.js';
import type { OtlpReceiver, RemoteTargetsLoader, SpanSink, Target, TargetEnvironment } from './types.js';

export interface TargetSetup {
  target: Target;
  /** The experiment's loopback OTLP receiver, for HTTP and process targets (their spans arrive there). */
  receiver?: OtlpReceiver;
}

export interface TargetFactoryOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Where spans received over OTLP go (the run router). */
  onRemoteSpans: SpanSink;
  remote: RemoteTargetsLoader;
}

/**
 * The target configured in configs/simulation.yaml `runner`. HTTP and process targets get an OTLP receiver on
 * 127.0.0.1 first (its port from runner.otlp_port / --otlp-port) so that their environment can point at it.
 */
export async function createTarget(
  project: Project,
  settings: ExperimentSettings,
  options: TargetFactoryOptions,
): Promise<TargetSetup> {
  const runner = settings.runner;
  if (!runner.http && !runner.process) return { target: await loadModuleTarget(project, runner) };
  const remote = await options.remote();
  const receiver = await remote.startOtlpReceiver({
    port: runner.otlp_port,
    host: '127.0.0.1',
    onSpans: options.onRemoteSpans,
  });
  try {
    const env: TargetEnvironment = { project, env: options.env, otlpEndpoint: receiver.url };
    const target = runner.http
      ? remote.createHttpTarget(runner.http, env)
      : await remote.createProcessTarget(runner.process!, env);
    return { target, receiver };
  } catch (err) {
    await receiver.close();
    throw err;
  }
}
