import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateJsonlFile } from '../src/validate.js';
import { observationRecord, traceRecord } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fluxloop-contract-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const line = (value: unknown) => JSON.stringify(value);

describe('validateJsonlFile', () => {
  it('accepts a valid file and skips blank lines', async () => {
    const path = await file('ok.jsonl', `${line(traceRecord)}\n\n${line({ ...traceRecord, status: 'error' })}\n`);
    expect(await validateJsonlFile(path, 'trace')).toEqual({ valid: true, records: 2, errors: [], invalidLines: 0 });
  });

  it('reports invalid records, non-JSON lines and a torn last line with their line numbers', async () => {
    const torn = line(traceRecord).slice(0, 70);
    const content = [
      line(traceRecord),
      '',
      line(traceRecord),
      line({ ...traceRecord, status: 'ok' }),
      'not json',
      line(traceRecord),
      torn,
    ].join('\n');
    const result = await validateJsonlFile(await file('bad.jsonl', content), 'trace');
    expect(result.valid).toBe(false);
    expect(result.records).toBe(6);
    expect(result.invalidLines).toBe(3);
    expect(result.errors.map((e) => e.line)).toEqual([4, 5, 7]);
    expect(result.errors[0]!.errors).toEqual(['/status: must be one of "success", "error" (got "ok")']);
    expect(result.errors[1]!.errors[0]).toMatch(/^not valid JSON/);
    expect(result.errors[2]!.errors[0]).toMatch(/^not valid JSON/);
  });

  it('validates against the kind it is given', async () => {
    const path = await file('obs.jsonl', `${line(observationRecord)}\n${line(traceRecord)}\n`);
    const result = await validateJsonlFile(path, 'observation');
    expect(result.errors.map((e) => e.line)).toEqual([2]);
    expect(result.errors[0]!.errors).toContain('/root_observation_id: unknown property (not in the schema)');
  });

  it('handles CRLF line endings', async () => {
    const path = await file('crlf.jsonl', `${line(traceRecord)}\r\n${line(traceRecord)}\r\n`);
    expect(await validateJsonlFile(path, 'trace')).toMatchObject({ valid: true, records: 2 });
  });

  it('caps the reported lines but still counts every invalid one', async () => {
    const path = await file('many.jsonl', `${'{}\n'.repeat(50)}`);
    const result = await validateJsonlFile(path, 'trace', { maxErrors: 10 });
    expect(result).toMatchObject({ valid: false, records: 50, invalidLines: 50 });
    expect(result.errors).toHaveLength(10);
    expect(result.errors[9]!.line).toBe(10);
  });

  it('streams a large file', async () => {
    const record = line(observationRecord);
    const path = await file('large.jsonl', `${record}\n`.repeat(20_000));
    expect(await validateJsonlFile(path, 'observation')).toMatchObject({ valid: true, records: 20_000 });
  });

  it('rejects a missing file and an unknown kind', async () => {
    await expect(validateJsonlFile(join(dir, 'missing.jsonl'), 'trace')).rejects.toThrow(/ENOENT/);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong kind
    await expect(validateJsonlFile(join(dir, 'ok.jsonl'), 'nope' as any)).rejects.toThrow(/unknown record kind/);
  });
});
