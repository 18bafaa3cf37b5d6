import { decodeCall } from '@fluxloop/sdk/recording';
import type { RunContext, Target } from '../runner/types.js';
import { type ParamPath, resolveParamPath, setResolved } from './param-path.js';
import type { Recording } from './recordings.js';
import { callArguments, type ReplayedFunction } from './signature.js';

/** A call the agent made through a recorded callable (a WebSocket's send, a callback). */
export interface CapturedCall {
  /** Where the callable sits in the recorded call: `args.0.send`, `kwargs.reply`. */
  callable: string;
  args: unknown[];
}

/** What a replayed run returns when the agent used recorded callables (docs/cli/recording.md). */
export interface ReplayOutput {
  calls: CapturedCall[];
  /** The function's return value, when it returned one. */
  returned?: unknown;
}

export interface ReplayPlan {
  recordings: Recording[];
  path: ParamPath;
  target: ReplayedFunction;
  /** Calls the function with explicit arguments (the module target's `this` kept). */
  call(args: unknown[]): unknown;
  /** Wraps a provider so each call is a span of the run (the SDK's trace()). */
  traced<F extends (...args: unknown[]) => unknown>(fn: F, name: string, callable: string): F;
}

/**
 * EventEmitter methods that manage listeners and return the emitter: their providers return the revived object,
 * so chained calls (`ws.on(...).on(...)`) keep working, and they are not part of the run's output (registering a
 * listener sends nothing). They are still spans of the run.
 */
const LISTENER_METHODS = new Set([
  'on',
  'once',
  'off',
  'addListener',
  'removeListener',
  'prependListener',
  'prependOnceListener',
  'removeAllListeners',
  'setMaxListeners',
]);

/**
 * Replays recorded calls: for run (entry, recording), the recording is decoded afresh, the input is put at
 * override_param_path, recorded callables become providers that capture what the agent sends through them, and
 * the function is called with the result. What the providers captured is the run's output.
 */
export function createReplayTarget(base: Target, plan: ReplayPlan): Target {
  return {
    kind: base.kind,
    description: base.description,
    remoteSpans: false,
    close: () => base.close(),
    invoke: async (input: unknown, ctx: RunContext) => {
      const recording = plan.recordings[ctx.recording ?? 0]!;
      const calls: CapturedCall[] = [];
      const provide = (callable: string, name: string) => {
        // A method of a recorded instance sits at `<path>.<name>`; a listener method answers with its object.
        const listener = LISTENER_METHODS.has(name) && callable.endsWith(`.${name}`);
        return plan.traced(
          function (this: unknown, ...args: unknown[]) {
            if (listener) return this;
            calls.push({ callable, args });
            return undefined;
          },
          name,
          callable,
        );
      };
      const decoded = decodeCall(recording, { provide });
      const at = resolveParamPath(decoded, plan.path);
      // Checked for every recording before the experiment started; a recording cannot change since.
      if (!at.ok) throw new Error(`override_param_path ${plan.path.text} does not resolve in line ${recording.line}`);
      setResolved(at, input);
      const returned = await plan.call(callArguments(plan.target, decoded, recording));
      if (calls.length === 0) return returned;
      const output: ReplayOutput = { calls, ...(returned === undefined ? {} : { returned }) };
      return output;
    },
  };
}
