/**
 * Setup from outside the code, as a user gets it: zero config from FLUXLOOP_* in the environment or in the
 * working directory's .env, switching FluxLoop off, and sampling. Each case is a fresh child process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBy, fixture, readOutput, removeTemps, report, run, tmp } from './helpers/child.js';
import { renderTree, tree } from './helpers/tree.js';

afterAll(removeTemps);

const ZERO = fixture('zero-config.mjs');
const DISABLED = fixture('disabled.mjs');
const SAMPLING = fixture('sampling.mjs');
/** The key the zero-config fixture passes as an argument: masked unless capture is `full`. */
const SECRET = 'sk-proj-Abcdefghij0123456789KLMNOP';

/** Every file under dir, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort();
}

function observationTree(dir: string): string {
  const { observations } = readOutput(dir);
  return renderTree(
    observations.records.map((o) => ({
      id: String(o.id),
      parentId: (o.parent_observation_id as string | null) ?? null,
      traceId: String(o.trace_id),
      label: `${o.name} [${o.type}]`,
      start: String(o.start_time),
    })),
  );
}

const ZERO_TREE = tree`
  assistant [agent]
    search [tool]
`;

describe('zero config', () => {
  it('FLUXLOOP_* in the environment alone: the files are where it says, with the capture mode it says', async () => {
    const [full, defaults] = await Promise.all([
      (async () => {
        const cwd = tmp();
        const result = await run(ZERO, [], {
          cwd,
          env: { FLUXLOOP_OUTPUT_DIR: './out/env', FLUXLOOP_CAPTURE_CONTENT: 'full' },
        });
        return { cwd, result };
      })(),
      (async () => {
        const cwd = tmp();
        return { cwd, result: await run(ZERO, [], { cwd }) };
      })(),
    ]);
    for (const { result } of [full, defaults]) {
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(report(result).result).toEqual({ answer: 'result for hello', keyLength: SECRET.length });
    }
    // FLUXLOOP_OUTPUT_DIR, relative to the working directory; full capture keeps the key verbatim.
    expect(filesUnder(full.cwd)).toEqual(['out/env/observations.jsonl', 'out/env/traces.jsonl']);
    const fullDir = path.join(full.cwd, 'out/env');
    expect(observationTree(fullDir)).toBe(ZERO_TREE);
    const fullTrace = readOutput(fullDir).traces.records;
    expect(fullTrace).toHaveLength(1);
    expect(fullTrace[0]!.input).toEqual(['hello', SECRET]);

    // Nothing set: ./traces under the working directory, redacted capture.
    expect(filesUnder(defaults.cwd)).toEqual(['traces/observations.jsonl', 'traces/traces.jsonl']);
    const defaultDir = path.join(defaults.cwd, 'traces');
    expect(observationTree(defaultDir)).toBe(ZERO_TREE);
    const text = fs.readFileSync(path.join(defaultDir, 'observations.jsonl'), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(readOutput(defaultDir).traces.records[0]!.input).toEqual(['hello', expect.stringContaining('REDACTED')]);
  });

  it('FLUXLOOP_* in a .env file of the working directory; the real environment wins key by key', async () => {
    const dotenv = [
      'FLUXLOOP_OUTPUT_DIR=./from-dotenv',
      'FLUXLOOP_CAPTURE_CONTENT=full',
      'APP_SECRET_FROM_DOTENV=not-for-fluxloop',
      '',
    ].join('\n');
    const cases: { env: Record<string, string> }[] = [
      // .env alone.
      { env: {} },
      // Both set the output dir: the environment's wins; capture comes from .env, which alone sets it.
      { env: { FLUXLOOP_OUTPUT_DIR: './from-env' } },
      // Both set the capture mode: the environment's (redacted) wins over .env's full.
      { env: { FLUXLOOP_OUTPUT_DIR: './from-env', FLUXLOOP_CAPTURE_CONTENT: 'redacted' } },
    ];
    const results = await Promise.all(
      cases.map(async ({ env }) => {
        const cwd = tmp();
        fs.writeFileSync(path.join(cwd, '.env'), dotenv);
        return { cwd, env, result: await run(ZERO, [], { cwd, env }) };
      }),
    );
    for (const { result, env } of results) {
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const r = report(result);
      expect(r.result).toEqual({ answer: 'result for hello', keyLength: SECRET.length });
      // The SDK reads .env for itself: it puts nothing into process.env, FLUXLOOP_* or otherwise.
      expect(r.otherKey).toBeNull();
      expect(r.fluxloopInEnv).toEqual(Object.keys(env).sort());
    }
    const [dotenvOnly, envDir, envCapture] = results;
    expect(filesUnder(dotenvOnly!.cwd)).toEqual(['.env', 'from-dotenv/observations.jsonl', 'from-dotenv/traces.jsonl']);
    expect(readOutput(path.join(dotenvOnly!.cwd, 'from-dotenv')).traces.records[0]!.input).toEqual(['hello', SECRET]);

    expect(filesUnder(envDir!.cwd)).toEqual(['.env', 'from-env/observations.jsonl', 'from-env/traces.jsonl']);
    expect(observationTree(path.join(envDir!.cwd, 'from-env'))).toBe(ZERO_TREE);
    expect(readOutput(path.join(envDir!.cwd, 'from-env')).traces.records[0]!.input).toEqual(['hello', SECRET]);

    expect(filesUnder(envCapture!.cwd)).toEqual(['.env', 'from-env/observations.jsonl', 'from-env/traces.jsonl']);
    const redacted = path.join(envCapture!.cwd, 'from-env');
    expect(fs.readFileSync(path.join(redacted, 'traces.jsonl'), 'utf8')).not.toContain(SECRET);
    expect(fs.readFileSync(path.join(redacted, 'observations.jsonl'), 'utf8')).not.toContain(SECRET);
  });
});

describe('switched off', () => {
  it('FLUXLOOP_ENABLED=false and OTEL_SDK_DISABLED=true make every wrapper a pure pass-through', async () => {
    const cases: { name: string; env: Record<string, string> }[] = [
      { name: 'FLUXLOOP_ENABLED=false', env: { FLUXLOOP_ENABLED: 'false' } },
      { name: 'FLUXLOOP_ENABLED=0', env: { FLUXLOOP_ENABLED: '0' } },
      { name: 'OTEL_SDK_DISABLED=true', env: { OTEL_SDK_DISABLED: 'true' } },
      // Control: the same checks with FluxLoop on must come out differently, or they prove nothing.
      { name: 'enabled', env: {} },
    ];
    const results = await Promise.all(
      cases.map(async ({ name, env }) => {
        const cwd = tmp();
        const outputDir = path.join(tmp(), 'out');
        const result = await run(DISABLED, [], {
          cwd,
          env: { FLUXLOOP_OUTPUT_DIR: outputDir, ...env },
          nodeArgs: ['--unhandled-rejections=strict'],
        });
        return { name, cwd, outputDir, result };
      }),
    );
    const passThrough = {
      syncIdentity: true,
      promiseIdentity: true,
      thisBinding: 15,
      syncThrow: true,
      asyncReject: true,
      generatorIsPlain: true,
      generatorValues: [1, 2],
      args: 3,
      argsSame: true,
      delegateTracer: 'none',
      spanRecording: false,
      flush: true,
      shutdown: true,
    };
    for (const { name, cwd, outputDir, result } of results) {
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 0, stderr: '' });
      const r = report(result);
      if (name === 'enabled') {
        // Wrapped promises and generators are traced proxies, a provider is registered, files are written.
        expect(r).toMatchObject({ promiseIdentity: false, generatorIsPlain: false, delegateTracer: 'present' });
        expect(readOutput(outputDir).traces.records.length).toBeGreaterThan(0);
      } else {
        expect({ name, ...r }).toEqual({ name, ...passThrough });
        expect(fs.existsSync(outputDir)).toBe(false);
        expect(fs.readdirSync(cwd)).toEqual([]);
      }
    }
  });
});

describe('sampling', () => {
  it('FLUXLOOP_SAMPLE_RATE=0.5 over 400 traces of 3 spans: each trace whole or absent, about half kept', async () => {
    const dir = tmp();
    const result = await run(SAMPLING, ['traces', '400'], {
      env: { FLUXLOOP_OUTPUT_DIR: dir, FLUXLOOP_SAMPLE_RATE: '0.5' },
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(report(result)).toEqual({ ok: true, count: 400 });
    const { observations, traces } = readOutput(dir);
    const perTrace = countBy(observations.records, (o) => String(o.trace_id));
    // Never partial: every kept trace has its agent, tool and generation.
    expect([...new Set(perTrace.values())]).toEqual([3]);
    for (const id of perTrace.keys()) {
      const names = observations.records
        .filter((o) => o.trace_id === id)
        .map((o) => o.name)
        .sort();
      expect(names).toEqual(['handle', 'llm', 'lookup']);
    }
    expect(new Set(traces.records.map((t) => t.trace_id))).toEqual(new Set(perTrace.keys()));
    expect(traces.records).toHaveLength(perTrace.size);
    expect(perTrace.size).toBeGreaterThanOrEqual(120);
    expect(perTrace.size).toBeLessThanOrEqual(280);
  });

  it("follows a remote parent's decision: sampled (-01) is kept at rate 0, unsampled (-00) dropped at rate 1", async () => {
    const cases = [
      { flags: '01', rate: '0' },
      { flags: '00', rate: '1' },
    ];
    const [sampled, unsampled] = await Promise.all(
      cases.map(async ({ flags, rate }) => {
        const dir = tmp();
        const result = await run(SAMPLING, ['remote', flags], {
          env: { FLUXLOOP_OUTPUT_DIR: dir, FLUXLOOP_SAMPLE_RATE: rate },
        });
        return { dir, result };
      }),
    );
    for (const { result } of [sampled!, unsampled!]) {
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      expect(report(result)).toMatchObject({ result: 42, flushed: true });
    }
    const { traceId } = report<{ traceId: string }>(sampled!.result);
    const kept = readOutput(sampled!.dir);
    expect(kept.observations.records).toHaveLength(3);
    expect(new Set(kept.observations.records.map((o) => o.trace_id))).toEqual(new Set([traceId]));
    expect(observationTree(sampled!.dir)).toBe(tree`
      handle [agent]
        llm [generation]
        lookup [tool]
    `);
    // The agent is a local root under the remote span: it heads the trace record of that trace.
    const root = kept.observations.records.find((o) => o.name === 'handle')!;
    expect(kept.traces.records).toHaveLength(1);
    expect(kept.traces.records[0]).toMatchObject({
      trace_id: traceId,
      name: 'handle',
      root_observation_id: root.id,
      observation_count: 3,
    });

    const dropped = readOutput(unsampled!.dir);
    expect([dropped.observations.records.length, dropped.traces.records.length]).toEqual([0, 0]);
  });
});
