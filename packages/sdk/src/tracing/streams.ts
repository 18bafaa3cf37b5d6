import { context } from '@opentelemetry/api';
import type { TracedCall } from './call.js';

/**
 * Keeps the elements of a stream for the span's output, up to a character budget, so a long stream cannot
 * grow memory. Strings (text deltas) are joined; anything else is kept as a list.
 */
export class ChunkCollector {
  private readonly items: unknown[] = [];
  private chars = 0;
  private count = 0;
  private allStrings = true;

  constructor(private readonly budget: number) {}

  add(value: unknown): void {
    this.count++;
    if (typeof value !== 'string') this.allStrings = false;
    if (this.chars > this.budget) return;
    this.items.push(value);
    this.chars += typeof value === 'string' ? value.length : 64;
  }

  value(): unknown {
    const omitted = this.count - this.items.length;
    if (this.allStrings) {
      const text = (this.items as string[]).join('');
      return omitted > 0 ? `${text}…[${omitted} more chunks not captured]` : text;
    }
    return omitted > 0 ? [...this.items, `…[${omitted} more chunks not captured]`] : this.items;
  }
}

type SyncGen = Generator<unknown, unknown, unknown>;
type AsyncGen = AsyncGenerator<unknown, unknown, unknown>;

/**
 * Wraps a generator object. Each step of the inner generator runs inside the call's context, so spans the
 * generator body starts are children of the call's span; the span ends when the generator finishes, throws, or
 * is closed early.
 */
export function traceGenerator(inner: SyncGen, call: TracedCall): SyncGen {
  const step = (run: () => IteratorResult<unknown>): IteratorResult<unknown> => {
    let result: IteratorResult<unknown>;
    try {
      result = context.with(call.ctx, run);
    } catch (err) {
      call.fail(err);
      throw err;
    }
    if (result.done) call.complete(result.value);
    else call.chunk(result.value);
    return result;
  };
  const wrapper: SyncGen = {
    next: (...args: [] | [unknown]) => step(() => inner.next(...args)),
    throw: (err: unknown) => step(() => inner.throw(err)),
    return: (value: unknown) => {
      try {
        return context.with(call.ctx, () => inner.return(value));
      } finally {
        call.cancel();
      }
    },
    [Symbol.iterator]() {
      return wrapper;
    },
    [Symbol.toStringTag]: 'Generator',
  } as SyncGen;
  return wrapper;
}

export function traceAsyncIterator(inner: AsyncIterator<unknown>, call: TracedCall): AsyncGen {
  const step = async (run: () => Promise<IteratorResult<unknown>>): Promise<IteratorResult<unknown>> => {
    let result: IteratorResult<unknown>;
    try {
      result = await context.with(call.ctx, run);
    } catch (err) {
      call.fail(err);
      throw err;
    }
    if (result.done) call.complete(result.value);
    else call.chunk(result.value);
    return result;
  };
  const wrapper: AsyncGen = {
    next: (...args: [] | [unknown]) => step(() => inner.next(...args)),
    throw: (err: unknown) => (inner.throw ? step(() => inner.throw!(err)) : Promise.reject(err)),
    return: async (value: unknown) => {
      try {
        return inner.return ? await context.with(call.ctx, () => inner.return!(value)) : { done: true as const, value };
      } finally {
        call.cancel();
      }
    },
    [Symbol.asyncIterator]() {
      return wrapper;
    },
    [Symbol.toStringTag]: 'AsyncGenerator',
  } as AsyncGen;
  return wrapper;
}

/**
 * Wraps an async iterable that is not itself an iterator (an SDK stream object such as OpenAI's `Stream`): a
 * Proxy keeps its class, methods and fields, and only iteration goes through the call. Methods are bound to the
 * target because class private fields reject a Proxy receiver.
 */
export function traceAsyncIterable<T extends object>(target: T, call: TracedCall): T {
  return new Proxy(target, {
    get(t, prop) {
      if (prop === Symbol.asyncIterator) {
        return () => traceAsyncIterator((t as AsyncIterable<unknown>)[Symbol.asyncIterator](), call);
      }
      const value = Reflect.get(t, prop, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

/** A new ReadableStream that reads the original one through the call; cancel() reaches the original. */
export function traceReadableStream(stream: ReadableStream<unknown>, call: TracedCall): ReadableStream<unknown> {
  const reader = stream.getReader();
  return new ReadableStream<unknown>({
    async pull(controller) {
      try {
        const { done, value } = await context.with(call.ctx, () => reader.read());
        if (done) {
          call.complete();
          controller.close();
        } else {
          call.chunk(value);
          controller.enqueue(value);
        }
      } catch (err) {
        call.fail(err);
        controller.error(err);
      }
    },
    async cancel(reason) {
      call.cancel();
      await reader.cancel(reason);
    },
  });
}

export function isGeneratorObject(value: unknown): value is SyncGen {
  return Object.prototype.toString.call(value) === '[object Generator]';
}

export function isAsyncGeneratorObject(value: unknown): value is AsyncGen {
  return Object.prototype.toString.call(value) === '[object AsyncGenerator]';
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> & object {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  );
}

export function isReadableStream(value: unknown): value is ReadableStream<unknown> {
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;
}
