/**
 * Resolves true when `promise` fulfils (with anything but false) within `ms`, false otherwise. Never rejects.
 * The timer is deliberately ref'd: the caller is awaiting this, and an unref'd timer would let the process
 * exit (or end a top-level await unsettled) before the answer; it is cleared as soon as `promise` settles.
 */
export function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value !== false);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}
