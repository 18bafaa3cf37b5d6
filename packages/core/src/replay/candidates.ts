/** Names that usually hold the user's input, most likely first. */
const INPUT_NAMES = ['message', 'input', 'prompt', 'query', 'question', 'text', 'content', 'body'];
const ADDRESSABLE = /^[^.\s[\]]+$/;

/**
 * override_param_path candidates in a decoded call (markers already turned into values, so a recorded class
 * instance's field is `args.0.url`, as replay addresses it): the paths of its string leaves, names that usually
 * hold an input (message, input, prompt, ...) first. Keys with a dot, a space or a bracket cannot be addressed
 * and are left out; so are callables.
 */
export function candidatePaths(call: { args: unknown[]; kwargs: Record<string, unknown> }, limit = 8): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (typeof value === 'string') {
      found.push(path);
      return;
    }
    if (depth >= 6 || typeof value !== 'object' || value === null) return;
    if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return;
    const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
    for (const [key, item] of entries) if (ADDRESSABLE.test(key)) walk(item, `${path}.${key}`, depth + 1);
  };
  walk(call.args, 'args', 0);
  walk(call.kwargs, 'kwargs', 0);
  const likely = (p: string) => {
    const name = p.slice(p.lastIndexOf('.') + 1).toLowerCase();
    const rank = INPUT_NAMES.findIndex((n) => name === n || name === `${n}s` || name.endsWith(`_${n}`));
    return rank === -1 ? INPUT_NAMES.length : rank;
  };
  return found
    .map((p, i) => [p, i] as const)
    .sort((a, b) => likely(a[0]) - likely(b[0]) || a[1] - b[1])
    .slice(0, limit)
    .map(([p]) => p);
}
