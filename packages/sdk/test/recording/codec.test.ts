import { Redactor } from '@fluxloop/sdk';
import { decodeRecorded, MARKER_KEY, recordingLine, splitCall } from '@fluxloop/sdk/recording';
import { describe, expect, it } from 'vitest';

const redactor = Redactor.withExtraRules([]);

/** A recording line after a JSON round trip, as replay reads it from the file. */
function recorded(args: unknown[], paramNames?: string[]) {
  return JSON.parse(JSON.stringify(recordingLine('fn', args, paramNames, redactor, new Date(0))));
}

/** Decodes the args of a recorded line back into values. */
function revive(args: unknown[], provide?: (path: string, name: string) => (...a: unknown[]) => unknown) {
  const line = recorded(args);
  return decodeRecorded(line.args, '/args', provide ? { provide } : {}) as unknown[];
}

class Session {
  _socket = { fd: 3 };
  userId = 'u-1';
  created = new Date('2026-11-23T10:00:00.000Z');
  send(text: string) {
    return text;
  }
  close() {}
}

describe('splitCall: which arguments are args and which kwargs', () => {
  it.each([
    ['one plain object → kwargs', [{ message: 'hi', user: 'u' }], undefined, [], { message: 'hi', user: 'u' }],
    ['a string → args', ['hi'], undefined, ['hi'], {}],
    ['two arguments → args', ['hi', { a: 1 }], undefined, ['hi', { a: 1 }], {}],
    ['paramNames → kwargs by name, rest args', ['hi', 'u', 3], ['message', 'user'], [3], { message: 'hi', user: 'u' }],
    ['paramNames, argument missing → undefined', ['hi'], ['message', 'user'], [], { message: 'hi', user: undefined }],
    ['one array → args', [[1, 2]], undefined, [[1, 2]], {}],
    ['one class instance → args', [new Session()], undefined, [new Session()], {}],
  ])('%s', (_name, args, paramNames, expectedArgs, expectedKwargs) => {
    const split = splitCall(args, paramNames);
    expect(split.args).toEqual(expectedArgs);
    expect(split.kwargs).toEqual(expectedKwargs);
  });
});

describe('recording values losslessly', () => {
  it('keeps JSON values as they are, with the seed line shape', () => {
    const line = recordingLine('handle_request', [{ user_id: '123', message: 'Hello' }], undefined, redactor);
    expect(Object.keys(line)).toEqual(['function', 'args', 'kwargs', 'timestamp']);
    expect(line).toMatchObject({ function: 'handle_request', args: [], kwargs: { user_id: '123', message: 'Hello' } });
    expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('round-trips Dates, binary data, Maps, Sets, BigInts, odd numbers, undefined, RegExps, URLs, Errors', () => {
    const value = {
      when: new Date('2026-11-23T10:30:00.000Z'),
      invalid: new Date('nope'),
      buf: Buffer.from('héllo'),
      u8: new Uint8Array([1, 2, 255]),
      f64: new Float64Array([1.5, -2]),
      ab: new Uint8Array([9, 8]).buffer,
      map: new Map<unknown, unknown>([
        ['a', 1],
        [2, { b: [true] }],
      ]),
      set: new Set(['x', 3]),
      big: 12345678901234567890n,
      nums: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1.25],
      missing: undefined,
      holes: [1, undefined, 3],
      re: /a+b/gi,
      url: new URL('https://example.com/a?b=1'),
      err: Object.assign(new TypeError('bad input'), { stack: 'TypeError: bad input\n    at x' }),
    };
    const [back] = revive([value, 'second']) as [typeof value];
    expect(back).toEqual(value);
    expect(back.buf).toBeInstanceOf(Buffer);
    expect(back.u8).toBeInstanceOf(Uint8Array);
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect(back.ab).toBeInstanceOf(ArrayBuffer);
    expect(Object.is(back.nums[3], -0)).toBe(true);
    expect('missing' in back).toBe(true);
    expect(back.err).toBeInstanceOf(Error);
    expect([back.err.name, back.err.message]).toEqual(['TypeError', 'bad input']);
  });

  it('keeps shared and circular references as references', () => {
    const shared = { id: 1 };
    const loop: Record<string, unknown> = { name: 'root', shared, again: shared };
    loop.self = loop;
    const list: unknown[] = [shared];
    list.push(list);
    const line = recorded([loop, list]);
    expect(line.args[0].self).toEqual({ [MARKER_KEY]: 'ref', ref: '/args/0' });
    expect(line.args[1][0]).toEqual({ [MARKER_KEY]: 'ref', ref: '/args/0/shared' });
    const [a, b] = decodeRecorded(line.args, '/args') as [Record<string, unknown>, unknown[]];
    expect(a.self).toBe(a);
    expect(a.again).toBe(a.shared);
    expect(b[0]).toBe(a.shared);
    expect(b[1]).toBe(b);
  });

  it('a Date, Buffer, Error, RegExp or URL passed twice comes back twice (the second one is a ref)', () => {
    const d = new Date(0);
    const buf = Buffer.from('x');
    const err = new RangeError('e');
    const re = /a/g;
    const url = new URL('https://example.com/');
    const [a, b, c] = revive([d, { d, buf, err, re, url }, [buf, err, re, url]]) as [
      Date,
      Record<string, unknown>,
      unknown[],
    ];
    expect(a).toEqual(d);
    expect(b.d).toBe(a);
    expect(c).toEqual([buf, err, re, url]);
    expect(c[0]).toBe(b.buf);
    expect(c[1]).toBe(b.err);
    expect(c[3]).toBe(b.url);
  });

  it('a revoked Proxy is one unreadable value, the rest of the call is recorded', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const line = recorded([proxy, 'ok', { inner: proxy }]);
    expect(line.args[0]).toEqual({ [MARKER_KEY]: 'unreadable', error: expect.stringContaining('revoked') });
    expect(line.args[1]).toBe('ok');
    // The same proxy again is a reference to the first, unreadable, one.
    expect(line.args[2].inner).toEqual({ [MARKER_KEY]: 'ref', ref: '/args/0' });
  });

  it('references the kwargs object itself at /kwargs', () => {
    const req: Record<string, unknown> = { message: 'hi' };
    req.parent = req;
    const line = recorded([req]);
    expect(line.kwargs.parent).toEqual({ [MARKER_KEY]: 'ref', ref: '/kwargs' });
    const back = decodeRecorded(line.kwargs, '/kwargs') as Record<string, unknown>;
    expect(back.parent).toBe(back);
  });

  it('stores functions as markers that name them, and replay provides stand-ins', () => {
    const send = (text: string) => text;
    const line = recorded([{ message: 'hi', send, onDone: () => {} }]);
    expect(line.kwargs.send).toEqual({ [MARKER_KEY]: 'function', name: 'send' });
    expect(line.kwargs.onDone).toEqual({ [MARKER_KEY]: 'function', name: 'onDone' });
    const calls: string[] = [];
    const back = decodeRecorded(line.kwargs, '/kwargs', {
      provide:
        (path, name) =>
        (...a: unknown[]) =>
          calls.push(`${path}:${name}:${a.join(',')}`),
    }) as { send: (t: string) => void };
    back.send('yo');
    expect(calls).toEqual(['kwargs.send:send:yo']);
  });

  it('keeps a class instance’s public fields and methods, lists its private fields as omitted', () => {
    const line = recorded([new Session(), 'hi']);
    expect(line.args[0]).toEqual({
      [MARKER_KEY]: 'instance',
      class: 'Session',
      value: { userId: 'u-1', created: { [MARKER_KEY]: 'Date', value: '2026-11-23T10:00:00.000Z' } },
      methods: ['send', 'close'],
      omitted: ['_socket'],
    });
    const sent: unknown[] = [];
    const [s] = decodeRecorded(line.args, '/args', {
      provide:
        (path) =>
        (...a: unknown[]) =>
          sent.push([path, ...a]),
    }) as [Session];
    expect(s.userId).toBe('u-1');
    expect(s.created).toEqual(new Date('2026-11-23T10:00:00.000Z'));
    s.send('hello');
    expect(sent).toEqual([['args.0.send', 'hello']]);
  });

  it('marks what it cannot record, visibly, and survives throwing getters', () => {
    const hostile = {
      get boom(): never {
        throw new Error('no');
      },
      ok: 1,
    };
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 40; i++) cur = cur.next = {};
    const line = recorded([{ hostile, p: Promise.resolve(1), weak: new WeakMap(), deep, sym: Symbol('s') }]);
    expect(line.kwargs.hostile).toEqual({ boom: { [MARKER_KEY]: 'unreadable', error: 'Error: no' }, ok: 1 });
    expect(line.kwargs.p).toEqual({ [MARKER_KEY]: 'unsupported', type: 'Promise' });
    expect(line.kwargs.weak).toEqual({ [MARKER_KEY]: 'unsupported', type: 'WeakMap' });
    expect(JSON.stringify(line.kwargs.deep)).toContain('"$fluxloop":"truncated"');
    expect(line.kwargs.sym).toEqual({ [MARKER_KEY]: 'Symbol', description: 's' });
  });

  it('escapes user objects that use the marker key', () => {
    const value = { [MARKER_KEY]: 'Date', value: 'not a date' };
    const line = recorded([value, 1]);
    expect(line.args[0]).toEqual({ [MARKER_KEY]: 'object', value });
    expect(decodeRecorded(line.args, '/args')).toEqual([value, 1]);
  });

  it('redacts secrets by key and by value, in args, kwargs, Maps and nested objects', () => {
    const line = recorded([
      {
        message: 'my key is sk-proj-abcdefghijklmnopqrstuvwxyz012345',
        api_key: 'plain-looking',
        headers: new Map([['authorization', 'Bearer abc.def.ghi']]),
        nested: { password: 'hunter2', note: 'ok' },
      },
    ]);
    const text = JSON.stringify(line);
    for (const secret of ['sk-proj-abcdefghijklmnopqrstuvwxyz012345', 'plain-looking', 'abc.def.ghi', 'hunter2']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[REDACTED:');
    expect(line.kwargs.nested.note).toBe('ok');
    const leaves = recorded([
      {
        password: Buffer.from('hunter2'),
        secret: new String('hunter2'),
        note: new String('key sk-proj-abcdefghijklmnopqrstuvwxyz012345'),
        tag: Symbol('sk-proj-abcdefghijklmnopqrstuvwxyz012345'),
      },
    ]);
    const leafText = JSON.stringify(leaves);
    for (const secret of ['aHVudGVyMg==', 'hunter2', 'sk-proj-abcdefghijklmnopqrstuvwxyz012345']) {
      expect(leafText).not.toContain(secret);
    }
    const named = JSON.parse(
      JSON.stringify(recordingLine('f', ['hi', 's3cr3t-token'], ['message', 'token'], redactor)),
    );
    expect(named.kwargs).toEqual({ message: 'hi', token: expect.stringMatching(/^\[REDACTED:/) });
  });
});
