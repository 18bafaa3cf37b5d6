import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, UserError } from '../errors.js';
import type { Project } from '../project/load.js';
import { parseTargetSpec, type TargetSpec } from '../project/target-spec.js';
import type { InputEntry, RunnerConfig } from '../project/types.js';
import { boundMethod, functionExport } from './module-exports.js';
import type { RunContext, Target } from './types.js';
import { isTypeScript, registerTypeScript, tsconfigFor } from './typescript-loader.js';

/** The second argument of a target function when `runner.pass_context` is true. */
export interface TargetCallContext {
  experimentId: string;
  runId: string;
  /** 0-based. */
  iteration: number;
  persona: string | null;
  /** The input entry with its provenance (strategy, base_index, ...) and metadata. */
  entry: InputEntry;
  metadata: Record<string, unknown>;
  /** Aborted when the run times out or the experiment is interrupted. */
  signal: AbortSignal;
  /** W3C traceparent of the run's root span, for calls the agent makes to other services. */
  traceparent: string;
}

type TargetFunction = (...args: unknown[]) => unknown;

const SIMULATION_FILE = 'configs/simulation.yaml';

function targetError(message: string, key = 'runner.target'): ConfigError {
  return new ConfigError([{ file: SIMULATION_FILE, path: key, message }]);
}

const RELATIVE = /^\.{1,2}([/\\]|$)/;
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs'];

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The file a target's module names: a path relative to the project root (as TypeScript writes it) or a package. */
export function resolveTargetModule(project: Project, spec: TargetSpec, written: string): string {
  if (RELATIVE.test(spec.module) || path.isAbsolute(spec.module)) {
    const base = project.resolve(spec.module);
    const ext = path.extname(base);
    const stem = base.slice(0, base.length - ext.length);
    const candidates = [
      base,
      ...(JS_TO_TS[ext] ?? []).map((e) => stem + e),
      ...EXTENSIONS.map((e) => base + e),
      ...EXTENSIONS.map((e) => path.join(base, `index${e}`)),
    ];
    const found = candidates.find(isFile);
    if (found) return found;
    throw targetError(
      `"${written}": module not found: ${base} (the module path resolves against the project root ${project.root})`,
    );
  }
  try {
    return createRequire(path.join(project.root, 'package.json')).resolve(spec.module);
  } catch (err) {
    throw targetError(
      `"${written}": package ${spec.module} cannot be resolved from the project root ${project.root} ` +
        `(${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); is it installed there?`,
    );
  }
}

/** An error thrown by the user's module while it loads: its message and the frames inside the project. */
function loadFailure(display: string, err: unknown, root: string): UserError {
  const error = err instanceof Error ? err : new Error(String(err));
  const frames = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .filter((line) => line.includes(root) && !line.includes('node_modules'))
    .slice(0, 3);
  return new UserError(`could not load ${display}: ${error.message}${frames.map((f) => `\n  ${f.trim()}`).join('')}`);
}

async function instanceFor(
  mod: Record<string, unknown>,
  spec: TargetSpec,
  factory: string | undefined,
  display: string,
) {
  if (factory !== undefined) {
    const make = functionExport(mod, factory, display);
    try {
      return { instance: await make(), what: `the instance returned by runner.factory "${factory}"` };
    } catch (err) {
      throw new UserError(`runner.factory "${factory}" of ${display} failed: ${(err as Error)?.message ?? err}`);
    }
  }
  const ctor = functionExport(mod, spec.exportName, display) as unknown as new () => unknown;
  try {
    return { instance: new ctor(), what: `an instance of ${spec.exportName}` };
  } catch (err) {
    throw new UserError(
      `new ${spec.exportName}() of ${display} failed: ${(err as Error)?.message ?? err} ` +
        '(export a factory function and name it in runner.factory if the class needs arguments)',
    );
  }
}

function callContext(ctx: RunContext): TargetCallContext {
  return {
    experimentId: ctx.experimentId,
    runId: ctx.runId,
    iteration: ctx.iteration,
    persona: ctx.persona,
    entry: ctx.entry,
    metadata: ctx.entry.metadata ?? {},
    signal: ctx.signal,
    traceparent: ctx.traceparent,
  };
}

/**
 * Loads `runner.target` into this process: `./agent.ts:run`, `./agent.ts` (default export) or
 * `./agent.ts:Agent.handle` (on `runner.factory`'s instance, else `new Agent()`). Call it after the runner's
 * tracer provider is registered, so that whatever the module sets up at load time already reports to the run.
 * Every way it can fail is a UserError naming what to change.
 */
export async function loadModuleTarget(project: Project, runner: RunnerConfig): Promise<Target> {
  const written = runner.target;
  if (written === undefined) throw targetError('is missing: name a module function, e.g. ./agent.ts:run');
  const spec = parseTargetSpec(written);
  if (runner.factory !== undefined && spec.method === undefined) {
    throw targetError(
      `runner.factory "${runner.factory}" only applies to a Class.method target, and "${written}" names a function: ` +
        'remove factory, or target a method (./agent.ts:Agent.handle)',
      'runner.factory',
    );
  }
  const file = resolveTargetModule(project, spec, written);
  const display = path.relative(project.root, file) || file;
  const unregister = isTypeScript(file) ? await registerTypeScript(tsconfigFor(project, runner.tsconfig)) : undefined;
  try {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (err) {
      throw loadFailure(display, err, project.root);
    }
    let fn: TargetFunction;
    let exported: TargetFunction;
    if (spec.method === undefined) {
      fn = functionExport(mod, spec.exportName, display);
      exported = fn;
    } else {
      const { instance, what } = await instanceFor(mod, spec, runner.factory, display);
      fn = boundMethod(instance, spec.method, what);
      exported = (instance as Record<string, TargetFunction>)[spec.method]!;
    }
    const passContext = runner.pass_context;
    return {
      kind: 'module',
      description: written,
      remoteSpans: false,
      replayable: { fn: exported, call: (args) => fn(...args) },
      invoke: async (input, ctx) => (passContext ? fn(input, callContext(ctx)) : fn(input)),
      close: async () => {
        await unregister?.();
      },
    };
  } catch (err) {
    await unregister?.();
    throw err;
  }
}
