import { describe, expect, it } from 'vitest';
import { toJsonText } from '../../src/capture/serialize.js';

const opts = { maxLength: 10_000 };
const json = (value: unknown, options: Parameters<typeof toJsonText>[1] = opts) => toJsonText(value, options);
const parsed = (value: unknown, options: Parameters<typeof toJsonText>[1] = opts) => JSON.parse(json(value, options));

describe('toJsonText: primitives', () => {
  it.each([
    ['hello', '"hello"'],
    ['', '""'],
    ['quote " and \\ and \n', '"quote \\" and \\\\ and \\n"'],
    [42, '42'],
    [-0, '0'],
    [1e21, '1e+21'],
    [Number.NaN, 'null'],
    [Number.POSITIVE_INFINITY, 'null'],
    [Number.NEGATIVE_INFINITY, 'null'],
    [true, 'true'],
    [false, 'false'],
    [null, 'null'],
    [undefined, 'null'],
    [123n, '"123n"'],
    [-5n, '"-5n"'],
  ])('%s → %s', (value, expected) => {
    expect(json(value)).toBe(expected);
  });

  it('describes symbols and functions', () => {
    expect(parsed(Symbol('desc'))).toBe('Symbol(desc)');
    expect(parsed(Symbol())).toBe('Symbol()');
    expect(parsed(function namedThing() {})).toBe('[Function: namedThing]');
    expect(parsed(class Agent {})).toBe('[Function: Agent]');
    const anonymous = [() => 1][0];
    expect(parsed(anonymous)).toBe('[Function: anonymous]');
    expect(parsed({ run() {} })).toEqual({ run: '[Function: run]' });
  });
});

describe('toJsonText: built-in objects', () => {
  it('writes dates as ISO strings and invalid dates as null', () => {
    expect(parsed(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(json(new Date(Number.NaN))).toBe('null');
    expect(parsed({ at: new Date(Number.NaN) })).toEqual({ at: null });
  });

  it('writes errors with name, message, stack, cause and own props', () => {
    const cause = new TypeError('inner');
    const error = Object.assign(new Error('outer', { cause }), { code: 'E_FAIL', status: 500 });
    const out = parsed(error);
    expect(out.name).toBe('Error');
    expect(out.message).toBe('outer');
    expect(out.stack).toContain('outer');
    expect(out.code).toBe('E_FAIL');
    expect(out.status).toBe(500);
    expect(out.cause).toMatchObject({ name: 'TypeError', message: 'inner' });
    expect(Object.keys(parsed(new Error('x')))).toEqual(['name', 'message', 'stack']);
    expect(parsed(new Error('x', { cause: 'just text' })).cause).toBe('just text');
  });

  it('writes the errors of an AggregateError', () => {
    const out = parsed(new AggregateError([new Error('a'), new Error('b')], 'many'));
    expect(out.name).toBe('AggregateError');
    expect(out.errors.map((e: { message: string }) => e.message)).toEqual(['a', 'b']);
  });

  it('writes a string-keyed Map as an object and any other Map as entry pairs', () => {
    expect(
      parsed(
        new Map<string, unknown>([
          ['a', 1],
          ['b', { c: 2 }],
        ]),
      ),
    ).toEqual({ a: 1, b: { c: 2 } });
    expect(parsed(new Map())).toEqual({});
    expect(
      parsed(
        new Map<unknown, unknown>([
          [1, 'one'],
          ['two', 2],
          [{ k: true }, null],
        ]),
      ),
    ).toEqual({
      '[Map]': [
        [1, 'one'],
        ['two', 2],
        [{ k: true }, null],
      ],
    });
  });

  it('writes a Set as an array', () => {
    expect(parsed(new Set([1, 'a', { b: 2 }]))).toEqual([1, 'a', { b: 2 }]);
  });

  it('describes binary data by type and size', () => {
    expect(parsed(new Uint8Array(1234))).toBe('[Uint8Array: 1234 bytes]');
    expect(parsed(new Float64Array(4))).toBe('[Float64Array: 32 bytes]');
    expect(parsed(Buffer.from('hello'))).toBe('[Buffer: 5 bytes]');
    expect(parsed(new ArrayBuffer(16))).toBe('[ArrayBuffer: 16 bytes]');
    expect(parsed(new DataView(new ArrayBuffer(8)))).toBe('[DataView: 8 bytes]');
    expect(parsed({ image: new Uint8Array(3) })).toEqual({ image: '[Uint8Array: 3 bytes]' });
  });

  it('unwraps boxed primitives and writes regular expressions as source', () => {
    expect(parsed([Object('s'), Object(1), Object(true), Object(2n)])).toEqual(['s', 1, true, '2n']);
    expect(parsed(/ab+c/gi)).toBe('/ab+c/gi');
  });
});

describe('toJsonText: objects and arrays', () => {
  it('matches JSON.stringify on plain data', () => {
    const value = { a: 1, b: 'two', c: [1, 2, { d: null }], e: { f: false }, g: [] };
    expect(json(value)).toBe(JSON.stringify(value));
    expect(json(['x', 1, 'y'])).toBe('["x",1,"y"]');
  });

  it('omits undefined properties and writes undefined array items as null, as JSON does', () => {
    expect(parsed({ a: undefined, b: 1 })).toEqual({ b: 1 });
    expect(json([undefined, 1])).toBe('[null,1]');
    // biome-ignore lint/suspicious/noSparseArray: a sparse array is the case under test.
    expect(json([, 'x'])).toBe('[null,"x"]');
  });

  it('uses toJSON, guarding against one that returns its receiver', () => {
    expect(parsed({ toJSON: () => ({ replaced: true }) })).toEqual({ replaced: true });
    expect(parsed({ nested: { toJSON: () => 'text' } })).toEqual({ nested: 'text' });
    expect(parsed(new URL('https://example.com/a?b=1'))).toBe('https://example.com/a?b=1');
    const self = {
      n: 1,
      toJSON() {
        return this;
      },
    };
    expect(parsed(self)).toEqual({ n: 1, toJSON: '[Function: toJSON]' });
  });

  it('writes class instances as their own enumerable properties', () => {
    class Point {
      label = 'h';
      constructor(
        public x: number,
        public y: number,
      ) {}
      get sum() {
        return this.x + this.y;
      }
      norm() {
        return 0;
      }
    }
    expect(parsed(new Point(1, 2))).toEqual({ label: 'h', x: 1, y: 2 });
    const nonEnumerable = Object.defineProperty({ a: 1 }, 'b', { value: 2, enumerable: false });
    expect(parsed(nonEnumerable)).toEqual({ a: 1 });
    expect(parsed({ [Symbol('s')]: 1, a: 2 })).toEqual({ a: 2 });
  });

  it('keeps a __proto__ own property as data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    expect(json(value)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(json({ wrap: value })).toBe('{"wrap":{"__proto__":{"polluted":true},"a":1}}');
  });

  it('writes objects without a prototype', () => {
    const value = Object.assign(Object.create(null), { a: 1 });
    expect(json(value)).toBe('{"a":1}');
    expect(json({ nested: value })).toBe('{"nested":{"a":1}}');
  });

  it('marks circular references and only those', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a, { back: a }];
    expect(parsed(a)).toEqual({ name: 'a', self: '[Circular]', list: ['[Circular]', { back: '[Circular]' }] });
    const shared = { s: 1 };
    expect(parsed({ x: shared, y: shared, z: [shared, shared] })).toEqual({
      x: { s: 1 },
      y: { s: 1 },
      z: [{ s: 1 }, { s: 1 }],
    });
    const map = new Map<string, unknown>();
    map.set('me', map);
    expect(parsed(map)).toEqual({ me: '[Circular]' });
  });

  it('replaces containers deeper than maxDepth (default 12)', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = { d: deep };
    const text = json(deep);
    expect(text.match(/"d":/g)?.length).toBe(13);
    expect(text).toContain('"[Object]"');
    expect(parsed({ a: { b: [1, 2, 3], c: new Map(), s: new Set([1]) } }, { maxLength: 1000, maxDepth: 1 })).toEqual({
      a: { b: '[Array(3)]', c: '[Map(0)]', s: '[Set(1)]' },
    });
    expect(parsed({ a: 1, b: new Date(0) }, { maxLength: 1000, maxDepth: 0 })).toEqual({
      a: 1,
      b: '1970-01-01T00:00:00.000Z',
    });
    expect(parsed([[1]], { maxLength: 1000, maxDepth: 0 })).toEqual(['[Array(1)]']);
  });

  it('cuts containers at maxItems (default 1000) with a marker giving the original count', () => {
    expect(parsed(Array.from({ length: 1005 }, (_, i) => i)).at(-1)).toBe('…[truncated: 1005 items]');
    expect(parsed(Array.from({ length: 1005 }, (_, i) => i))).toHaveLength(1001);
    const options = { maxLength: 1000, maxItems: 2 };
    expect(parsed([1, 2, 3, 4], options)).toEqual([1, 2, '…[truncated: 4 items]']);
    expect(parsed({ a: 1, b: 2, c: 3 }, options)).toEqual({ a: 1, b: 2, '…': '[truncated: 3 keys]' });
    expect(parsed(new Set([1, 2, 3]), options)).toEqual([1, 2, '…[truncated: 3 items]']);
    expect(
      parsed(
        new Map([
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ]),
        options,
      ),
    ).toEqual({ a: 1, b: 2, '…': '[truncated: 3 keys]' });
    expect(
      parsed(
        new Map([
          [1, 1],
          [2, 2],
          [3, 3],
        ]),
        options,
      ),
    ).toEqual({
      '[Map]': [[1, 1], [2, 2], '…[truncated: 3 items]'],
    });
    expect(parsed([1, 2], { maxLength: 1000, maxItems: 0 })).toEqual(['…[truncated: 2 items]']);
  });
});
