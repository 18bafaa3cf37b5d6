import { recordingLine } from '@fluxloop/sdk/recording';
import { describe, expect, it } from 'vitest';
import { candidatePaths, isParamPath, resolvesIn } from '../../src/record/recording-scan.js';

class Socket {
  _raw = { fd: 1 };
  url = 'ws://127.0.0.1:1';
  send(_t: string) {}
}

/** A line as the SDK writes it, read back from JSON. */
const line = JSON.parse(
  JSON.stringify(recordingLine('handle', [new Socket(), { text: 'hi', user: 'u' }], undefined, undefined)),
);

describe('record enable suggestions address the call as replay does', () => {
  it('suggests decoded paths (a recorded instance field is args.0.url), input-like names first, no callables', () => {
    expect(candidatePaths(line)).toEqual(['args.1.text', 'args.0.url', 'args.1.user']);
  });

  it.each([
    ['args.0.url', true],
    ['args[1].text', true],
    ['args.1.text', true],
    ['args.0.value.url', false],
    ['args.0.$fluxloop', false],
    ['kwargs.text', false],
  ])('%s resolves: %s', (path, expected) => {
    expect(resolvesIn(line, path)).toBe(expected);
  });

  it('accepts the path forms replay accepts', () => {
    expect([
      isParamPath('args[0].text'),
      isParamPath('data.content'),
      isParamPath('args.x'),
      isParamPath('a..b'),
    ]).toEqual([true, true, false, false]);
  });
});
