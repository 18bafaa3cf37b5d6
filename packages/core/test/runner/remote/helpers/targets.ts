import { afterEach } from 'vitest';
import type { HttpTarget, ProcessTarget } from '../../../../src/project/types.js';
import {
  createHttpTarget,
  createProcessTarget,
  type ProcessTargetOptions,
} from '../../../../src/runner/remote/index.js';
import type { Target, TargetEnvironment } from '../../../../src/runner/types.js';

const open = new Set<Target>();

afterEach(async () => {
  await Promise.all([...open].map((target) => target.close()));
  open.clear();
});

/** An HTTP target closed after the test. */
export function httpTarget(config: HttpTarget, env: TargetEnvironment): Target {
  const target = createHttpTarget(config, env);
  open.add(target);
  return target;
}

/** A process target closed after the test; short grace periods keep the tests quick. */
export async function processTarget(
  config: ProcessTarget,
  env: TargetEnvironment,
  options: ProcessTargetOptions = { flushGraceMs: 5_000, killGraceMs: 500 },
): Promise<Target> {
  const target = await createProcessTarget(config, env, options);
  open.add(target);
  return target;
}
