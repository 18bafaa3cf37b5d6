import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { agent, generation, tool, trace } from '@fluxloop/sdk';
import { decodeRecorded } from '@fluxloop/sdk/recording';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, fixture, readJsonlStrict, removeTemps, report, run, start, tmp, until } from '../helpers/child.js';
import { compileFixture } from '../helpers/compile.js';
import { configured, readJsonl, resetFluxLoop, tempDir } from '../helpers/harness.js';

afterAll(removeTemps);
afterEach(resetFluxLoop);

interface Line {
  function: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  timestamp: string;
}

async function recording(options: Record<string, unknown> = {}) {
  const file = path.join(tempDir(), 'recordings', 'args_recording.jsonl');
  const setup = await configured({ storage: 'none', recordArgs: true, recordingFile: file, ...options });
  return { ...setup, file, lines: () => readJsonl<Line>(file) };
}

describe('which wrappers record', () => {
  it('agent() records by default; trace/tool/generation only with record: true; record: false opts out', async () => {
    const { lines } = await recording();
    const a = agent(function support(q: string) {
      return q.toUpperCase();
    });
    const quiet = agent((q: string) => q, { name: 'quiet', record: false });
    const t = tool((x: number) => x + 1, { name: 'lookup' });
    const rt = tool((x: number) => x + 1, { name: 'lookup_recorded', record: true });
    const s = trace((x: number) => x, { name: 'step' });
    const g = generation((x: string) => x, { name: 'llm', record: true });
    expect([a('hi'), quiet('q'), t(1), rt(2), s(3), g('p')]).toEqual(['HI', 'q', 2, 3, 3, 'p']);
    expect(lines().map((l) => [l.function, l.args, l.kwargs])).toEqual([
      ['support', ['hi'], {}],
      ['lookup_recorded', [2], {}],
      ['llm', ['p'], {}],
    ]);
  });

  it('records nothing when recording is off, and when FluxLoop is disabled', async () => {
    const off = await recording({ recordArgs: false });
    agent((q: string) => q, { name: 'a' })('x');
    expect(fs.existsSync(off.file)).toBe(false);
    const disabled = await recording({ enabled: false });
    agent((q: string) => q, { name: 'a' })('x');
    expect(fs.existsSync(disabled.file)).toBe(false);
  });

  it('decorated methods record as Class.method, without `this`', async () => {
    const { lines } = await recording();
    const compiled = compileFixture(path.join(FIXTURES, 'decorated-bot.ts'));
    const { Bot } = (await import(pathToFileURL(compiled).href)) as typeof import('../fixtures/decorated-bot.js');
    await new Bot().handle({ message: 'hi', user: 'u1' });
    expect(lines().map((l) => [l.function, l.args, l.kwargs])).toEqual([
      ['Bot.handle', [], { message: 'hi', user: 'u1' }],
    ]);
  });
});

describe('recording does not change the call', () => {
  it('records the arguments as passed, before the function mutates them; result and errors unchanged', async () => {
    const { lines } = await recording();
    const mutate = agent(function mutate(req: { items: string[] }) {
      req.items.push('added by the agent');
      return req.items.length;
    });
    const fail = agent(async function fail(_q: string) {
      throw new RangeError('nope');
    });
    expect(mutate({ items: ['a'] })).toBe(2);
    await expect(fail('x')).rejects.toThrow(RangeError);
    expect(lines().map((l) => [l.function, l.args, l.kwargs])).toEqual([
      ['mutate', [], { items: ['a'] }],
      ['fail', ['x'], {}],
    ]);
  });

  it('keeps the recorded callables replayable: functions become providers in the decoded call', async () => {
    const { lines } = await recording();
    const handler = agent(function onMessage(socket: { send(t: string): void }, text: string) {
      socket.send(`echo ${text}`);
    });
    handler({ send: () => {} }, 'hello');
    const [line] = lines();
    const sent: unknown[] = [];
    const args = decodeRecorded(line!.args, '/args', {
      provide:
        (p) =>
        (...a: unknown[]) =>
          sent.push([p, ...a]),
    }) as [{ send(t: string): void }, string];
    handler(...args);
    expect(sent).toEqual([['args.0.send', 'echo hello']]);
  });

  it('a recording file that cannot be written warns once and the calls go on', async () => {
    const dir = tempDir();
    const { reporter } = await configured({ storage: 'none', recordArgs: true, recordingFile: dir });
    const a = agent((q: string) => `${q}!`, { name: 'a' });
    expect([a('1'), a('2'), a('3')]).toEqual(['1!', '2!', '3!']);
    const warnings = reporter.messages.filter((m) => m.key === 'recording');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(dir);
  });
});

describe('recording across processes', () => {
  const SCRIPT = fixture('record-calls.mjs');

  it('reads FLUXLOOP_RECORD_ARGS from the working directory’s .env and writes recordings/args_recording.jsonl', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, '.env'), '# app settings\nFLUXLOOP_RECORD_ARGS=true\nFLUXLOOP_STORAGE=none\n');
    const result = await run(SCRIPT, ['5'], { cwd });
    expect(result.code).toBe(0);
    expect(report(result)).toEqual({ results: 5 });
    const lines = readJsonl<Line>(path.join(cwd, 'recordings', 'args_recording.jsonl'));
    expect(lines.map((l) => l.kwargs.message).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(lines[0]!.kwargs.send).toEqual({ $fluxloop: 'function', name: 'send' });
  });

  it('four processes recording into one file, one of them killed mid-way: every line whole', async () => {
    const cwd = tmp();
    const env = { FLUXLOOP_RECORD_ARGS: 'true', FLUXLOOP_STORAGE: 'none' };
    const killed = start(SCRIPT, ['0', 'forever'], { cwd, env: { ...env, PROC: 'k' } });
    const others = ['a', 'b', 'c'].map((p) => run(SCRIPT, ['400'], { cwd, env: { ...env, PROC: p } }));
    expect(await until(() => killed.stdout().includes('started'), 15_000)).toBe(true);
    killed.child.kill('SIGKILL');
    const results = await Promise.all([...others, killed.done]);
    expect(results.map((r) => r.code ?? r.signal)).toEqual([0, 0, 0, 'SIGKILL']);
    // readJsonlStrict throws on any line that is not a whole JSON object.
    const file = readJsonlStrict(path.join(cwd, 'recordings', 'args_recording.jsonl'));
    expect(file.endsWithNewline).toBe(true);
    const byProc = new Map<string, number>();
    for (const r of file.records) {
      const p = String((r.kwargs as Record<string, unknown>).proc);
      byProc.set(p, (byProc.get(p) ?? 0) + 1);
    }
    expect([byProc.get('a'), byProc.get('b'), byProc.get('c')]).toEqual([400, 400, 400]);
    expect(byProc.get('k')).toBeGreaterThanOrEqual(50);
  }, 40_000);
});
