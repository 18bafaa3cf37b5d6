import type { ObservationType } from '@fluxloop/contract';
import { type Attributes, context, trace as otelTrace, type Span, SpanKind } from '@opentelemetry/api';
import { errorMessage } from '../diagnostics.js';
import { WRAPPED_INFO, type WrappedInfo } from '../recording/wrapped-info.js';
import { activeSdk } from '../runtime/activate.js';
import type { ActiveSdk } from '../runtime/registry.js';
import { parentContext, runtime, withEnvParent } from '../runtime/registry.js';
import * as A from '../semconv.js';
import { TracedCall } from './call.js';
import { generationAttributes, readGenerationRequest } from './generation-info.js';
import { setPayload } from './payload-attributes.js';
import {
  isAsyncGeneratorObject,
  isAsyncIterable,
  isGeneratorObject,
  isReadableStream,
  traceAsyncIterable,
  traceAsyncIterator,
  traceGenerator,
  traceReadableStream,
} from './streams.js';
import { applyTraceFields, hasTraceFields, type TraceFields, traceFieldTarget } from './trace-fields.js';
import { currentTracer, LOCAL_ROOT_KEY } from './tracer.js';

export interface WrapOptions extends Omit<TraceFields, 'input' | 'output'> {
  /** Span name; defaults to the function's name (for methods, `Class.method`). */
  name?: string;
  /** Observation type; defaults to the wrapper's (trace() → span). Use it for `chain` or `retriever` steps. */
  type?: ObservationType;
  /** Record the arguments as input (default true). */
  captureInput?: boolean;
  /** Record the return value, or the streamed elements, as output (default true). */
  captureOutput?: boolean;
  /** Names of the positional parameters: the input is then an object of named arguments instead of a list. */
  paramNames?: string[];
  /** Record the call's arguments for replay when FLUXLOOP_RECORD_ARGS is on (agent() does by default). */
  record?: boolean;
  /** Extra span attributes, set when the span starts. */
  attributes?: Attributes;
  /** generation(): the model requested, when the arguments do not say. */
  model?: string;
  /** generation(): gen_ai.provider.name (openai, anthropic, ...). */
  provider?: string;
}

/** How each wrapper marks its spans. */
interface Profile {
  type: ObservationType;
  kind: SpanKind;
  operation?: string;
  /** Attribute that carries the wrapper's name (gen_ai.agent.name, gen_ai.tool.name). */
  nameAttribute?: string;
}

const PROFILES = {
  agent: {
    type: 'agent',
    kind: SpanKind.INTERNAL,
    operation: A.GenAiOperation.invokeAgent,
    nameAttribute: A.GEN_AI_AGENT_NAME,
  },
  trace: { type: 'span', kind: SpanKind.INTERNAL },
  tool: {
    type: 'tool',
    kind: SpanKind.INTERNAL,
    operation: A.GenAiOperation.executeTool,
    nameAttribute: A.GEN_AI_TOOL_NAME,
  },
  generation: { type: 'generation', kind: SpanKind.CLIENT, operation: A.GenAiOperation.chat },
} satisfies Record<string, Profile>;

// biome-ignore lint/suspicious/noExplicitAny: the wrappers accept any function signature and return the same type.
type AnyFunction = (...args: any[]) => any;

/** A name for the span: fixed, or computed per call (decorated methods use the receiver's class). */
type NameSource = string | ((self: unknown) => string);

function startAttributes(profile: Profile, options: WrapOptions, name: string): Attributes {
  const type = options.type ?? profile.type;
  const a: Attributes = { [A.FLUXLOOP_OBSERVATION_TYPE]: type };
  if (profile.operation && (!options.type || options.type === profile.type))
    a[A.GEN_AI_OPERATION_NAME] = profile.operation;
  if (profile.nameAttribute) a[profile.nameAttribute] = name;
  if (options.model) a[A.GEN_AI_REQUEST_MODEL] = options.model;
  if (options.provider) a[A.GEN_AI_PROVIDER_NAME] = options.provider;
  return { ...a, ...options.attributes };
}

function reportOnce(sdk: ActiveSdk) {
  return (err: unknown) => sdk.reporter.warn('tracing', `tracing failed and was skipped: ${errorMessage(err)}`);
}

/** Starts the span and records the input. Returns undefined when the call must run untraced. */
function begin(
  sdk: ActiveSdk,
  profile: Profile,
  options: WrapOptions,
  name: string,
  attributes: Attributes,
  args: unknown[],
): TracedCall | undefined {
  // A trace started here continues the one the process was started in (TRACEPARENT), if any.
  const parentCtx = withEnvParent(sdk, parentContext(context.active()));
  const span = currentTracer().startSpan(name, { kind: profile.kind, attributes }, parentCtx);
  const recording = span.isRecording();
  let ctx = otelTrace.setSpan(parentCtx, span);
  if (recording) {
    const probe = runtime().probe;
    if (probe.pending) checkProbe(sdk, probe);
    const parent = otelTrace.getSpan(parentCtx);
    if (!parent || parent.spanContext().isRemote) ctx = ctx.setValue(LOCAL_ROOT_KEY, span);
  }
  const type = options.type ?? profile.type;
  const call = new TracedCall(
    span,
    ctx,
    sdk,
    recording && options.captureOutput !== false,
    recording && type === 'generation',
    reportOnce(sdk),
  );
  // A sampled-out call still runs inside its span's context, so its children follow the decision.
  if (!recording) return call;
  if (hasTraceFields(options)) {
    const target = traceFieldTarget(ctx, span);
    if (target) applyTraceFields(target, options, sdk.capture);
  }
  if (options.captureInput !== false) captureInput(span, sdk, args, options.paramNames);
  if (profile.type === 'generation') {
    const request = readGenerationRequest(args);
    if (request) span.setAttributes(generationAttributes(request));
  }
  return call;
}

function captureInput(span: Span, sdk: ActiveSdk, args: unknown[], paramNames: string[] | undefined): void {
  if (args.length === 1 && typeof args[0] === 'string' && !paramNames?.length) {
    const text = sdk.capture.plain(args[0]);
    if (text !== undefined) setPayload(span, sdk, 'input', { text });
    return;
  }
  const json = sdk.capture.args(args, paramNames);
  if (json !== undefined) setPayload(span, sdk, 'input', { json });
}

/** The application registered its own provider: warn once if no FluxLoopSpanProcessor saw our first span. */
function checkProbe(sdk: ActiveSdk, probe: { pending: boolean; seen: boolean }): void {
  probe.pending = false;
  if (probe.seen) return;
  sdk.reporter.warn(
    'drop-in',
    'an OpenTelemetry tracer provider is registered without FluxLoopSpanProcessor, so spans reach it but no ' +
      'FluxLoop records are written. Add `new FluxLoopSpanProcessor()` to its spanProcessors.',
  );
}

/**
 * Hands the result back to the caller, ending the span now or when the result settles or is consumed. Telling
 * the kind of result apart reads properties of it; a hostile object (a throwing getter, a Proxy) makes it a
 * plain value rather than a failure of the caller's call.
 */
function settle(call: TracedCall, result: unknown): unknown {
  let traced: unknown;
  try {
    traced = observe(call, result);
  } catch {
    call.succeed(result);
    return result;
  }
  return traced;
}

function observe(call: TracedCall, result: unknown): unknown {
  if (result !== null && typeof result === 'object') {
    if (typeof (result as PromiseLike<unknown>).then === 'function') {
      return (result as PromiseLike<unknown>).then(
        (value) => settle(call, value),
        (err: unknown) => {
          call.fail(err);
          throw err;
        },
      );
    }
    if (isGeneratorObject(result)) return traceGenerator(result, call);
    if (isAsyncGeneratorObject(result)) return traceAsyncIterator(result, call);
    if (isReadableStream(result)) return traceReadableStream(result, call);
    if (isAsyncIterable(result)) return traceAsyncIterable(result, call);
  }
  call.succeed(result);
  return result;
}

/** Wraps fn so each call is one span; returns a function of the same type. */
export function wrap<F extends AnyFunction>(
  profileName: keyof typeof PROFILES,
  fn: F,
  options: WrapOptions = {},
  nameSource?: NameSource,
): F {
  if (typeof fn !== 'function') throw new TypeError(`${profileName}() expects a function, got ${typeof fn}`);
  const profile: Profile = PROFILES[profileName];
  const fixedName = options.name || (typeof nameSource === 'string' ? nameSource : fn.name) || profile.type;
  const fixedAttributes = startAttributes(profile, options, fixedName);
  const records = options.record ?? profileName === 'agent';
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    const sdk = activeSdk();
    if (!sdk.enabled) return fn.apply(this, args);
    let call: TracedCall | undefined;
    try {
      const name = !options.name && typeof nameSource === 'function' ? nameSource(this) : fixedName;
      // Recorded before the call runs: the arguments as they were passed, not as the function left them.
      if (records && sdk.recorder) sdk.recorder.record(name, args, options.paramNames);
      const attributes = name === fixedName ? fixedAttributes : startAttributes(profile, options, name);
      call = begin(sdk, profile, options, name, attributes, args);
    } catch (err) {
      reportOnce(sdk)(err);
    }
    if (!call) return fn.apply(this, args);
    let result: unknown;
    try {
      result = context.with(call.ctx, fn, this as ThisParameterType<F>, ...(args as Parameters<F>));
    } catch (err) {
      call.fail(err);
      throw err;
    }
    return settle(call, result);
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
  const info: WrappedInfo = { name: fixedName, paramNames: options.paramNames, records, length: fn.length };
  Object.defineProperty(wrapped, WRAPPED_INFO, { value: info });
  return wrapped as unknown as F;
}

export type MethodDecorator = <F extends AnyFunction>(method: F, context: ClassMethodDecoratorContext) => F;

function decorator(profileName: keyof typeof PROFILES, options: WrapOptions = {}): MethodDecorator {
  return (method, ctx) => {
    if (ctx.kind !== 'method') throw new TypeError(`@${profileName}() decorates class methods only`);
    const methodName = String(ctx.name);
    const nameOf = (self: unknown): string => {
      const owner = ctx.static ? (self as { name?: string })?.name : (self as object)?.constructor?.name;
      return owner ? `${owner}.${methodName}` : methodName;
    };
    return wrap(profileName, method, options, nameOf);
  };
}

function entry(profileName: keyof typeof PROFILES) {
  function api<F extends AnyFunction>(fn: F, options?: WrapOptions): F;
  function api(options?: WrapOptions): MethodDecorator;
  function api(fnOrOptions?: AnyFunction | WrapOptions, options?: WrapOptions): unknown {
    if (typeof fnOrOptions === 'function') return wrap(profileName, fnOrOptions, options);
    return decorator(profileName, fnOrOptions);
  }
  return api;
}

/** An agent entry point: one `agent` observation per call; a call with no active span starts a trace. */
export const agent = entry('agent');
/** Any step worth a span (type `span`, or the `type` option). */
export const trace = entry('trace');
/** A tool the agent calls. */
export const tool = entry('tool');
/** A model call: reads model, token usage and finish reasons from OpenAI, Anthropic and LangChain responses. */
export const generation = entry('generation');
