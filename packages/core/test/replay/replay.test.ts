import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayError, replayProject, runReplay } from './replay-helpers.js';

class Socket {
  _native = { fd: 7 };
  user = 'u-1';
  send(_text: string) {}
}

class EmitterSocket extends EventEmitter {
  send(_text: string) {}
}

const SOCKET_AGENT = `
import { agent } from '@fluxloop/sdk';
export const handle = agent(async function handle(socket: { send(t: string): void; user: string }, text: string) {
  socket.send('echo: ' + text + ' for ' + socket.user);
  socket.send('done');
});
`;

/** The observation tree of each trace, as "name [type]" lines indented by depth, by trace_summary input. */
function treesByRun(artifacts: Awaited<ReturnType<typeof runReplay>>['artifacts']) {
  const out: Record<string, string> = {};
  for (const s of artifacts.traceSummaries) {
    const obs = artifacts.observations.filter((o) => o.trace_id === s.trace_id);
    const lines: string[] = [];
    const walk = (parent: string | null, depth: number) => {
      for (const o of obs
        .filter((x) => x.parent_observation_id === parent)
        .sort((a, b) => a.start_time.localeCompare(b.start_time))) {
        lines.push(`${'  '.repeat(depth)}${o.name} [${o.type}]`);
        walk(o.id, depth + 1);
      }
    };
    walk(null, 0);
    out[`${s.input}`] = lines.join('\n');
  }
  return out;
}

describe('replaying recorded calls', () => {
  it('replays every recording with every input, providers capture what the agent sends', async () => {
    const root = replayProject({
      agent: SOCKET_AGENT,
      replay: 'enabled: true\noverride_param_path: args.1',
      calls: [
        ['handle', [new Socket(), 'recorded one']],
        ['handle', [Object.assign(new Socket(), { user: 'u-2' }), 'recorded two']],
      ],
      // Recording is on in the project: replayed calls must still not be appended.
      env: 'FLUXLOOP_RECORD_ARGS=true\n',
    });
    const file = path.join(root, 'recordings/args_recording.jsonl');
    const before = fs.readFileSync(file, 'utf8');
    const { result, artifacts, problems } = await runReplay(root);
    expect(problems).toEqual([]);
    expect(result.summary.results).toMatchObject({ total_runs: 4, successful: 4, failed: 0 });
    expect(result.summary.config).toMatchObject({ planned_runs: 4, replay: { recordings: 2 } });
    const outputs = artifacts.traceSummaries
      .map((s) => [s.input, s.output])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const calls = (text: string, user: string) => ({
      calls: [
        { callable: 'args.0.send', args: [`echo: ${text} for ${user}`] },
        { callable: 'args.0.send', args: ['done'] },
      ],
    });
    expect(outputs).toEqual([
      ['bye', calls('bye', 'u-1')],
      ['bye', calls('bye', 'u-2')],
      ['hello', calls('hello', 'u-1')],
      ['hello', calls('hello', 'u-2')],
    ]);
    expect(
      new Set(artifacts.traces.map((t) => (t.metadata as Record<string, unknown>)['replay.recording_line'])),
    ).toEqual(new Set([1, 2]));
    expect(treesByRun(artifacts).hello).toBe(
      ['./agent.ts:handle [span]', '  handle [agent]', '    send [span]', '    send [span]'].join('\n'),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('puts the input in a single object argument at a bare path, and calls paramNames functions by name', async () => {
    const objectRoot = replayProject({
      agent: `import { agent } from '@fluxloop/sdk';
export const handle = agent(function handle(req: { data: { content: string }; reply: (t: string) => void }) {
  req.reply(req.data.content.toUpperCase());
  return 'ok';
});`,
      replay: 'enabled: true\noverride_param_path: data.content',
      calls: [['handle', [{ data: { content: 'recorded' }, reply: () => {} }]]],
      inputs: ['hello'],
    });
    const a = await runReplay(objectRoot);
    expect(a.artifacts.traceSummaries.map((s) => s.output)).toEqual([
      { calls: [{ callable: 'kwargs.reply', args: ['HELLO'] }], returned: 'ok' },
    ]);

    const namedRoot = replayProject({
      agent: `import { agent } from '@fluxloop/sdk';
export const handle = agent((message: string, user: { id: string }) => user.id + ':' + message, {
  name: 'handle',
  paramNames: ['message', 'user'],
});`,
      replay: 'enabled: true\noverride_param_path: kwargs.message',
      calls: [['handle', ['recorded', { id: 'u9' }], ['message', 'user']]],
      inputs: ['hello'],
    });
    const b = await runReplay(namedRoot);
    expect(b.artifacts.traceSummaries.map((s) => [s.success, s.output])).toEqual([[true, 'u9:hello']]);
  });

  it('listener methods of a recorded EventEmitter chain and stay out of the output', async () => {
    const root = replayProject({
      agent: `import { agent } from '@fluxloop/sdk';
export const handle = agent(function handle(socket: any, text: string) {
  socket.on('close', () => {}).once('error', () => {});
  socket.send('got ' + text);
});`,
      replay: 'enabled: true\noverride_param_path: args.1',
      calls: [['handle', [new EmitterSocket(), 'recorded']]],
      inputs: ['hello'],
    });
    const { artifacts } = await runReplay(root);
    expect(artifacts.traceSummaries.map((s) => [s.success, s.output])).toEqual([
      [true, { calls: [{ callable: 'args.0.send', args: ['got hello'] }] }],
    ]);
    const names = artifacts.observations.map((o) => o.name).sort();
    expect(names).toEqual(['./agent.ts:handle', 'handle', 'on', 'once', 'send']);
  });

  it('replays only the recordings of replay_args.function', async () => {
    const root = replayProject({
      agent: SOCKET_AGENT,
      replay: 'enabled: true\noverride_param_path: args.1\nfunction: handle',
      calls: [
        ['handle', [new Socket(), 'one']],
        ['lookup', [{ q: 'x' }]],
        ['handle', [new Socket(), 'two']],
      ],
      inputs: ['hello'],
    });
    const { result } = await runReplay(root);
    expect(result.summary.results.total_runs).toBe(2);
  });
});

describe('replay errors say what to do, and nothing runs', () => {
  const socketCall: [string, unknown[]] = ['handle', [new Socket(), 'recorded']];
  it.each([
    [
      'a missing recording file',
      { replay: 'enabled: true\noverride_param_path: args.1' },
      ['recordings/args_recording.jsonl does not exist', 'fluxloop record enable'],
    ],
    [
      'an empty recording file',
      { replay: 'enabled: true\noverride_param_path: args.1', recordingText: '' },
      ['is empty', 'fluxloop record enable'],
    ],
    [
      'a line that is not a recording',
      { replay: 'enabled: true\noverride_param_path: args.1', recordingText: '{"function":"handle","args":[]}\n' },
      ['recordings/args_recording.jsonl:1', '"kwargs" is not an object'],
    ],
    [
      'a line that is not JSON',
      { replay: 'enabled: true\noverride_param_path: args.1', recordingText: '{"function":\n' },
      ['recordings/args_recording.jsonl:1: not valid JSON'],
    ],
    [
      'no recording of replay_args.function',
      { replay: 'enabled: true\noverride_param_path: args.1\nfunction: other', calls: [socketCall] },
      ['configs/simulation.yaml:', 'replay_args.function', 'no recording of "other"', 'handle (1)'],
    ],
    [
      'no recording for the target function',
      { replay: 'enabled: true\noverride_param_path: args.1', calls: [['on_message', [new Socket(), 'x']]] },
      ['no recording for the target function handle', 'on_message (1)', 'replay_args.function'],
    ],
    [
      'a path that does not resolve',
      { replay: 'enabled: true\noverride_param_path: args.0.text', calls: [socketCall] },
      [
        'recordings/args_recording.jsonl:1 (handle)',
        'override_param_path "args.0.text" does not resolve: args.0 has keys user, send',
        'set replay_args.override_param_path',
      ],
    ],
    [
      'no override_param_path',
      { replay: 'enabled: true', calls: [socketCall] },
      ['replay_args.override_param_path', 'is needed to replay', 'string values at args.0.user, args.1'],
    ],
    [
      'a malformed override_param_path',
      { replay: 'enabled: true\noverride_param_path: args.x', calls: [socketCall] },
      ['replay_args.override_param_path', 'argument index'],
    ],
    [
      'an argument added since recording',
      { replay: 'enabled: true\noverride_param_path: args.0', calls: [['handle', ['only one']]] },
      ['holds 1 argument, but ./agent.ts:handle now declares 2 parameters', 're-record'],
    ],
    [
      'pass_context',
      { replay: 'enabled: true\noverride_param_path: args.1', calls: [socketCall], runner: '  pass_context: true\n' },
      ['pass_context does not apply to replayed calls'],
    ],
  ] as const)('%s', async (_name, setup, expected) => {
    const root = replayProject({ agent: SOCKET_AGENT, ...setup } as Parameters<typeof replayProject>[0]);
    const err = await replayError(root);
    for (const text of expected) expect(err.message).toContain(text);
    expect(['UserError', 'ConfigError']).toContain(err.name);
    expect(err.wroteFolder).toBe(false);
  });

  it('paramNames removed since recording: an error, not a call with one object', async () => {
    const root = replayProject({
      agent: `import { agent } from '@fluxloop/sdk';
export const handle = agent(function handle(req: unknown) { return 'object:' + JSON.stringify(req); });`,
      replay: 'enabled: true\noverride_param_path: kwargs.message',
      calls: [['handle', ['hi', 'u1'], ['message', 'user']]],
    });
    const err = await replayError(root);
    expect(err.message).toContain(
      'recorded with paramNames (message, user), but ./agent.ts:handle declares no paramNames any more',
    );
  });

  it('paramNames renamed since recording', async () => {
    const root = replayProject({
      agent: `import { agent } from '@fluxloop/sdk';
export const handle = agent((text: string, who: string) => who + text, { name: 'handle', paramNames: ['text', 'who'] });`,
      replay: 'enabled: true\noverride_param_path: kwargs.message',
      calls: [['handle', ['hi', 'u1'], ['message', 'user']]],
    });
    const err = await replayError(root);
    expect(err.message).toContain(
      'recorded with named arguments (message, user), but ./agent.ts:handle now declares paramNames (text, who); not in the recording: text, who; no longer declared: message, user',
    );
  });
});
