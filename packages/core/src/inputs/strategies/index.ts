import type { Strategy } from '../../project/types.js';
import { adversarial } from './adversarial.js';
import { casual } from './casual.js';
import { concise } from './concise.js';
import { errorProne } from './error-prone.js';
import { formal } from './formal.js';
import { multilingual } from './multilingual.js';
import { personaBased } from './persona-based.js';
import { rephrase } from './rephrase.js';
import type { StrategyContext } from './text.js';
import { typo } from './typo.js';
import { verbose } from './verbose.js';

export { STRATEGY_DESCRIPTIONS } from './descriptions.js';
export { MULTILINGUAL_LANGUAGES } from './multilingual.js';
export type { StrategyContext } from './text.js';

export type StrategyTransform = (text: string, ctx: StrategyContext) => string;

/** The deterministic rules of every strategy (docs/cli/inputs.md shows examples of each). */
export const STRATEGY_TRANSFORMS: Readonly<Record<Strategy, StrategyTransform>> = {
  rephrase,
  verbose,
  concise,
  error_prone: errorProne,
  typo,
  casual,
  formal,
  multilingual,
  adversarial,
  persona_based: personaBased,
};
