import { describe, expect, it } from 'vitest';
import { RemoteRunError } from '../../../src/runner/remote/index.js';
import { httpConfig } from './helpers/environment.js';
import { httpServer, sendEvents, sendJson } from './helpers/http-server.js';
import { testRun } from './helpers/run-context.js';
import { httpTarget } from './helpers/targets.js';

/** An SSE target whose server answers with `pieces` (each written separately); the run and its output. */
async function stream(pieces: string[], response: Record<string, unknown> = {}, keepOpen = false) {
  const server = await httpServer((_req, res) => sendEvents(res, pieces, keepOpen));
  const { config, env } = httpConfig({ url: `${server.url}/stream`, response: { format: 'sse', ...response } });
  const run = testRun();
  const output = await httpTarget(config, env).invoke('hi', run);
  return { output, deltas: run.deltas, accept: server.requests[0]!.headers.accept };
}

const chunk = (content?: string, role?: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { ...(role ? { role } : {}), ...(content !== undefined ? { content } : {}) } }] })}\n\n`;

const OPENAI_STREAM = [
  chunk(undefined, 'assistant'),
  chunk('Hel'),
  ': keep-alive comment\n\n',
  chunk('lo'),
  // One event cut across two writes, with CRLF line ends.
  chunk(' wor').replace(/\n/g, '\r\n').slice(0, 20),
  chunk(' wor').replace(/\n/g, '\r\n').slice(20),
  chunk('ld'),
  chunk(),
  'data: [DONE]\n\n',
];

describe('sse responses', () => {
  it('concatenates the strings at output_path until the done marker, reporting each piece as a delta', async () => {
    expect(await stream(OPENAI_STREAM, { output_path: 'choices.0.delta.content' })).toEqual({
      output: 'Hello world',
      deltas: ['Hel', 'lo', ' wor', 'ld'],
      accept: 'text/event-stream',
    });
  });

  it('does not wait for the server to end the stream after the done marker', async () => {
    const { output } = await stream(['data: "a"\n\n', 'data: [DONE]\n\n'], {}, true);
    expect(output).toBe('a');
  });

  it('takes the whole data without output_path: multi-line data, event names, JSON strings, plain text', async () => {
    const events = [
      'event: message\ndata: first\ndata: second\n\n',
      'event: token\ndata: "quoted"\n\n',
      ': a comment\ndata: {"not":"a string"}\n\n',
    ];
    expect(await stream(events)).toMatchObject({
      output: 'first\nsecondquoted{"not":"a string"}',
      deltas: ['first\nsecond', 'quoted', '{"not":"a string"}'],
    });
  });

  it('ends at the end of the stream when there is no done marker (a last unterminated event is incomplete)', async () => {
    expect(await stream(['data: "one "\n\n', 'data: "two"\n\n', 'data: "half'])).toMatchObject({
      output: 'one two',
    });
  });

  it('honours a custom done marker', async () => {
    const { output } = await stream(['data: "x"\n\n', 'data: END\n\n', 'data: "after"\n\n'], { done_marker: 'END' });
    expect(output).toBe('x');
  });
});

describe('sse failures', () => {
  const fails = (pieces: string[], response: Record<string, unknown> = {}) => expect(stream(pieces, response)).rejects;

  it('fails the run on an error event, with its message', async () => {
    await fails(['data: "partial"\n\n', 'event: error\ndata: {"error":{"message":"rate limited"}}\n\n']).toThrow(
      new RemoteRunError('the event stream sent an error event: rate limited'),
    );
  });

  it('fails when output_path matches no event, naming the path and what the events hold', async () => {
    await fails(['data: {"text":"a"}\n\n', 'data: [DONE]\n\n'], { output_path: 'choices.0.delta.content' }).toThrow(
      'response.output_path "choices.0.delta.content" matched no event of the stream; in the last one, ' +
        'the response has no key "choices": its keys are text',
    );
  });

  it('fails when an event is not JSON but output_path needs it', async () => {
    await fails(['data: plain words\n\n'], { output_path: 'text' }).toThrow(
      `an event's data is not JSON, so response.output_path cannot be applied: "plain words"`,
    );
  });

  it('fails when the response is not an event stream', async () => {
    const server = await httpServer((_req, res) => sendJson(res, { answer: 1 }));
    const { config, env } = httpConfig({ url: `${server.url}/stream`, response: { format: 'sse' } });
    await expect(httpTarget(config, env).invoke('hi', testRun())).rejects.toThrow(
      'expected a text/event-stream response (response.format is sse) but the content-type is application/json: ' +
        JSON.stringify('{"answer":1}'),
    );
  });

  it('aborts mid-stream when the run is aborted, after the deltas so far', async () => {
    const server = await httpServer((_req, res) => sendEvents(res, ['data: "first"\n\n'], true));
    const { config, env } = httpConfig({ url: `${server.url}/stream`, response: { format: 'sse' } });
    const run = testRun({ onDelta: (text) => run.abort(new Error(`aborted after "${text}"`)) });
    await expect(httpTarget(config, env).invoke('hi', run)).rejects.toThrow('aborted after "first"');
  });
});
