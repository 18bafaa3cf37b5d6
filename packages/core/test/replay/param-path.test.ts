import { describe, expect, it } from 'vitest';
import { parseParamPath, resolveParamPath, setResolved } from '../../src/replay/param-path.js';

const call = () => ({
  args: [{ text: 'recorded', parts: ['a', { body: 'b' }] }, 'second'],
  kwargs: { message: 'hi', data: { content: 'deep', items: ['x', 'y'] } },
});

describe('override_param_path', () => {
  it.each([
    ['args.0', ['args', '0'], 'args.0', { text: 'recorded', parts: ['a', { body: 'b' }] }],
    ['args.0.text', ['args', '0', 'text'], 'args.0.text', 'recorded'],
    ['args.1', ['args', '1'], 'args.1', 'second'],
    ['args[0].parts[1].body', ['args', '0', 'parts', '1', 'body'], 'args.0.parts.1.body', 'b'],
    ['kwargs.message', ['kwargs', 'message'], 'kwargs.message', 'hi'],
    ['message', ['kwargs', 'message'], 'kwargs.message', 'hi'],
    ['data.content', ['kwargs', 'data', 'content'], 'kwargs.data.content', 'deep'],
    ['data.items.1', ['kwargs', 'data', 'items', '1'], 'kwargs.data.items.1', 'y'],
    ['data.items[0]', ['kwargs', 'data', 'items', '0'], 'kwargs.data.items.0', 'x'],
  ])('%s resolves to %j and replaces %s', (text, segments, _spelled, recorded) => {
    const parsed = parseParamPath(text);
    if ('problem' in parsed) throw new Error(parsed.problem);
    expect(parsed.segments).toEqual(segments);
    const c = call();
    const at = resolveParamPath(c, parsed);
    if (!at.ok) throw new Error(`did not resolve: ${JSON.stringify(at)}`);
    expect((at.parent as Record<string | number, unknown>)[at.key]).toEqual(recorded);
    setResolved(at, 'NEW');
    let node: unknown = c;
    for (const s of segments) node = (node as Record<string, unknown>)[s];
    expect(node).toBe('NEW');
  });

  it.each([
    ['kwargs.mesage', 'kwargs', ['message', 'data']],
    ['data.body', 'kwargs.data', ['content', 'items']],
    ['args.2', 'args', ['0', '1']],
    ['args.1.text', 'args.1', []],
    ['data.items.5', 'kwargs.data.items', ['0', '1']],
    ['data.items.length', 'kwargs.data.items', ['0', '1']],
  ])('%s does not resolve: stops at %s, which has %j', (text, resolvedTo, keys) => {
    const parsed = parseParamPath(text);
    if ('problem' in parsed) throw new Error(parsed.problem);
    expect(resolveParamPath(call(), parsed)).toEqual({ ok: false, resolvedTo, keys });
  });

  it.each([
    ['', 'is not a path'],
    ['kwargs..message', 'is not a path'],
    ['args', 'names all the args'],
    ['kwargs', 'names all the kwargs'],
    ['args.message', 'after args comes an argument index'],
  ])('%j is rejected: %s', (text, problem) => {
    const parsed = parseParamPath(text);
    expect('problem' in parsed && parsed.problem).toContain(problem);
  });
});
