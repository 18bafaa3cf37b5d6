import { UserError } from '../errors.js';
import type { RemoteTargetsLoader } from './types.js';

/**
 * Where HTTP and process targets come from. runner/remote/ is built in parallel against the RemoteTargetFactories
 * contract; until it is merged this says so instead of failing in an obscure way. Once merged, this becomes
 * `() => import('./remote/index.js')`.
 */
export const loadRemoteTargets: RemoteTargetsLoader = async () => {
  throw new UserError(
    'runner.http and runner.process targets are not available in this build of @fluxloop/core yet: ' +
      'use runner.target (a module function) for now',
  );
};
