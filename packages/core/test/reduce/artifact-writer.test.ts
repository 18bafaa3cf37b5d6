import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_VERSION } from '@fluxloop/contract';
import { describe, expect, it } from 'vitest';
import { ArtifactWriter } from '../../src/reduce/artifact-writer.js';
import { tempProject } from '../helpers/project.js';

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const summaryLine = (iteration: number) => ({
  schema_version: SCHEMA_VERSION,
  trace_id: null,
  iteration,
  persona: null,
  input: 'x',
  output: null,
  duration_ms: 1,
  success: false,
  error: 'Error: e',
  token_usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
  conversation: null,
});

describe('ArtifactWriter', () => {
  it('creates the three JSONL files at once and appends whole lines on flush', () => {
    const dir = tempProject({});
    const writer = new ArtifactWriter(dir, { flushIntervalMs: 60_000 });
    expect(fs.readdirSync(dir).sort()).toEqual(['observations.jsonl', 'trace_summary.jsonl', 'traces.jsonl']);
    writer.observations(['{"o":1}', '{"o":2}']);
    writer.trace('{"t":1}');
    writer.traceSummary(summaryLine(0));
    expect(read(dir, 'observations.jsonl')).toBe('');
    writer.flush();
    expect(read(dir, 'observations.jsonl')).toBe('{"o":1}\n{"o":2}\n');
    expect(read(dir, 'traces.jsonl')).toBe('{"t":1}\n');
    expect(read(dir, 'trace_summary.jsonl')).toBe(`${JSON.stringify(summaryLine(0))}\n`);
    writer.close();
    writer.close();
  });

  it('writes by itself once maxPendingLines lines are held', () => {
    const dir = tempProject({});
    const writer = new ArtifactWriter(dir, { maxPendingLines: 3, flushIntervalMs: 60_000 });
    writer.observations(['{"o":1}', '{"o":2}']);
    expect(read(dir, 'observations.jsonl')).toBe('');
    writer.trace('{"t":1}');
    expect([read(dir, 'observations.jsonl'), read(dir, 'traces.jsonl')]).toEqual(['{"o":1}\n{"o":2}\n', '{"t":1}\n']);
    writer.close();
  });

  it('summary.json is written whole, pretty-printed, with no temporary file left', () => {
    const dir = tempProject({});
    const writer = new ArtifactWriter(dir);
    writer.close();
    const summary = {
      schema_version: SCHEMA_VERSION,
      experiment_id: 'x',
      name: 'n',
      started_at: '2026-11-22T10:00:00.000Z',
      finished_at: '2026-11-22T10:00:01.000Z',
      status: 'completed' as const,
      config: {},
      results: {
        total_runs: 0,
        successful: 0,
        failed: 0,
        success_rate: 0,
        duration: { avg_ms: 0, p50_ms: 0, p95_ms: 0, max_ms: 0 },
        token_usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      },
    };
    writer.writeSummary(summary);
    expect(read(dir, 'summary.json')).toBe(`${JSON.stringify(summary, null, 2)}\n`);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'observations.jsonl',
      'summary.json',
      'trace_summary.jsonl',
      'traces.jsonl',
    ]);
  });

  it('a write that fails (a full disk) is thrown, with the folder, from flush and close: never swallowed', () => {
    const dir = tempProject({});
    fs.symlinkSync('/dev/full', path.join(dir, 'traces.jsonl'));
    const writer = new ArtifactWriter(dir, { flushIntervalMs: 60_000 });
    writer.trace('{"t":1}');
    const message = `cannot write the experiment's artifacts in ${dir}: ENOSPC`;
    expect(() => writer.flush()).toThrow(message);
    expect(() => writer.close()).toThrow(message);
  });
});
