import { randomBytes } from 'node:crypto';
import type { RunContext } from '../../../../src/runner/types.js';
import { waitUntil } from './wait.js';

/** A run's context as the orchestrator makes it, plus what the target reported: deltas and log lines. */
export interface TestRun extends RunContext {
  traceId: string;
  /** The span id in traceparent: the run's root span, the parent of the target's spans. */
  spanId: string;
  deltas: string[];
  logs: string[];
  onLog(line: string): void;
  /** Aborts the run (a timeout or Ctrl-C in the orchestrator). */
  abort(reason?: unknown): void;
}

/** A fresh run: a new trace id and root span id each time, an abortable signal. */
export function testRun(overrides: Partial<RunContext> = {}): TestRun {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  const controller = new AbortController();
  const run: TestRun = {
    runId: `run-${spanId.slice(0, 6)}`,
    experimentId: 'exp-1',
    iteration: 0,
    entryIndex: 0,
    entry: { input: 'hello' },
    persona: null,
    traceparent: `00-${traceId}-${spanId}-01`,
    signal: controller.signal,
    traceId,
    spanId,
    deltas: [],
    logs: [],
    onDelta: (text) => run.deltas.push(text),
    onLog: (line) => run.logs.push(line),
    abort: (reason) => controller.abort(reason),
    ...overrides,
  };
  return run;
}

/** The pid an agent printed in the run's log as `<label> <pid>`, once it has. */
export async function loggedPid(run: TestRun, label = 'pid'): Promise<number> {
  const pattern = new RegExp(`^${label} (\\d+)$`);
  await waitUntil(() => run.logs.some((line) => pattern.test(line)), `the agent's "${label}" line`);
  return Number(run.logs.find((line) => pattern.test(line))!.match(pattern)![1]);
}
