import { describe, expect, it } from 'vitest';
import { experimentIn, functionTarget, runsByInput } from './experiment-helpers.js';

describe('interrupting an experiment', () => {
  it('stops starting runs, lets runs in flight finish within the grace, records the rest as interrupted', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    let releaseGated: () => void = () => {};
    const gated = new Promise<void>((resolve) => {
      releaseGated = resolve;
    });
    const { artifacts, problems } = await experimentIn({
      inputs: ['a', 'gated', 'hang', 'b', 'never-started-1', 'never-started-2'],
      simulation: 'concurrency: 3',
      graceMs: 1_000,
      signal: controller.signal,
      target: () =>
        functionTarget(async (input) => {
          started.push(input);
          if (input === 'gated') await gated;
          if (input === 'hang') await new Promise(() => {});
          return `done ${input}`;
        }),
      reporter: {
        runFinished: (_run, progress) => {
          if (progress.done === 2) controller.abort();
        },
        // The gated run finishes inside the grace; the hanging one is cut off when the grace ends.
        stopping: () => releaseGated(),
      },
    });
    expect(problems).toEqual([]);
    expect(started).toEqual(['a', 'gated', 'hang', 'b']);
    expect(artifacts.summary.status).toBe('interrupted');
    expect(runsByInput(artifacts).map((r) => [r.input, r.success, r.error])).toEqual([
      ['a', true, null],
      ['b', true, null],
      ['gated', true, null],
      ['hang', false, 'Interrupted: the experiment was interrupted before the run finished'],
    ]);
  }, 20_000);
});
