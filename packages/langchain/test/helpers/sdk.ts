/** The SDK's test helpers (span/record tree rendering, harness), reused as they are. */
import * as harness from '../../../sdk/test/helpers/harness.js';
import * as trees from '../../../sdk/test/helpers/tree.js';

export type Records = harness.Records;
export const { dropIn, resetFluxLoop } = harness;
export const { recordNodes, renderTree, renderTrees, spanNodes, tree } = trees;
