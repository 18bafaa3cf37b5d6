import { ConsoleReporter, errorMessage } from '../diagnostics.js';
import { CapturePolicy } from '../tracing/capture-policy.js';
import { FluxLoopClient } from './client.js';
import { type ActiveSdk, runtime } from './registry.js';

/**
 * The active configuration; on first use with nothing configured, FluxLoop configures itself from the
 * environment (zero config). Configuration problems found then are reported, never thrown into the traced call.
 */
export function activeSdk(): ActiveSdk {
  const rt = runtime();
  if (rt.active) return rt.active;
  try {
    new FluxLoopClient({}, { lenient: true });
  } catch (err) {
    const reporter = new ConsoleReporter();
    reporter.warn('setup', `could not set up tracing, calls run untraced: ${errorMessage(err)}`);
    rt.active = {
      enabled: false,
      capture: new CapturePolicy('none', 1024),
      recordArgs: false,
      recordingFile: '',
      reporter,
      mirrorPayloads: false,
    };
  }
  return rt.active!;
}
