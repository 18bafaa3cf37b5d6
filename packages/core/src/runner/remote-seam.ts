import type { RemoteTargetsLoader } from './types.js';

/**
 * Where HTTP and process targets come from: runner/remote/, loaded on demand so that experiments with a module
 * target never load it.
 */
export const loadRemoteTargets: RemoteTargetsLoader = () => import('./remote/index.js');
