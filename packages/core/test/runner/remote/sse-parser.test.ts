import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from '../../../src/runner/remote/index.js';

/** Events of a whole stream fed in the given pieces, and whether an incomplete event was discarded at the end. */
function parse(pieces: string[]): { events: SseEvent[]; discarded: boolean } {
  const parser = new SseParser();
  const events = pieces.flatMap((piece) => parser.push(piece));
  return { events, discarded: parser.end().discardedIncompleteEvent };
}

/** Every way of cutting `text` into two pieces, and into single characters: chunk boundaries must not matter. */
function cuts(text: string): string[][] {
  const twoWay = Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
  return [...twoWay, [...text]];
}

const STREAM =
  '\uFEFF: a comment, ignored\r\n' +
  'event: token\r\n' +
  'data: {"text":"Hel"}\r\n' +
  '\r\n' +
  'data:first line\n' +
  'data:  two spaces keep one\n' +
  'data\n' +
  'id: 7\n' +
  'retry: 1000\n' +
  'unknown: field\n' +
  '\n' +
  ':comment\r' +
  'event: done\r' +
  'data: [DONE]\r' +
  '\r' +
  'data: no blank line at the end';

const EXPECTED: SseEvent[] = [
  { event: 'token', data: '{"text":"Hel"}' },
  { event: 'message', data: 'first line\n two spaces keep one\n', id: '7' },
  { event: 'done', data: '[DONE]', id: '7' },
];

describe('SseParser (WHATWG event stream interpretation)', () => {
  it('parses CRLF, LF and CR line ends, comments, event names, ids and multi-line data', () => {
    expect(parse([STREAM])).toEqual({ events: EXPECTED, discarded: true });
  });

  it('gives the same events however the stream is cut into chunks', () => {
    for (const pieces of cuts(STREAM)) expect(parse(pieces).events).toEqual(EXPECTED);
  });

  it('does not dispatch an event without data, and resets the event name after a blank line', () => {
    expect(parse(['event: ping\n\n', 'data: x\n\n']).events).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('keeps an empty data field as an empty line', () => {
    expect(parse(['data:\ndata:\n\n']).events).toEqual([{ event: 'message', data: '\n' }]);
  });

  it('reports no discarded event when the stream ends cleanly', () => {
    expect(parse(['data: a\n\n'])).toEqual({ events: [{ event: 'message', data: 'a' }], discarded: false });
  });
});
