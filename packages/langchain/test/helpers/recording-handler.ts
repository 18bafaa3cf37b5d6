import { FluxLoopCallbackHandler } from '@fluxloop/langchain';

type ChainStartArgs = Parameters<FluxLoopCallbackHandler['handleChainStart']>;

/** A FluxLoopCallbackHandler that also keeps the arguments LangChain really passed to handleChainStart. */
export class RecordingHandler extends FluxLoopCallbackHandler {
  readonly chainStarts: unknown[][] = [];

  override handleChainStart(...args: ChainStartArgs): void {
    this.chainStarts.push(args);
    super.handleChainStart(...args);
  }
}
