import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, schemaProblems, serve, serviceFolders, tempDir } from './helpers/collector.js';
import { postJson, postTraces } from './helpers/http.js';
import { jsonBody, jsonRequest, jsonSpan, protobufBody, SpanFactory } from './helpers/otlp.js';
import { recordBatch } from './helpers/records.js';

afterEach(cleanup);

describe('re-sent spans are stored once', () => {
  it('the same OTLP request twice (a client retry) gives one set of records', async () => {
    const c = await serve();
    const body = jsonBody(new SpanFactory('retry').trace3('retried'));
    expect((await postTraces(c.tracesUrl, body, 'json')).status).toBe(200);
    const again = await postTraces(c.tracesUrl, body, 'json');
    expect(again.status).toBe(200);
    expect(again.body.toString()).toBe('{}'); // a duplicate is not an error for the client
    const records = c.records('retry');
    expect(records.observations).toHaveLength(3);
    expect(records.traces).toHaveLength(1);
    expect(c.stats()).toMatchObject({ spans: 3, duplicateSpans: 3 });
  });

  it('the same spans re-sent in the other encoding, and mixed into a request with new ones', async () => {
    const c = await serve();
    const factory = new SpanFactory('mixed');
    const first = factory.trace3('first');
    const second = factory.trace3('second');
    expect((await postTraces(c.tracesUrl, protobufBody(first), 'protobuf')).status).toBe(200);
    expect((await postTraces(c.tracesUrl, jsonBody(first), 'json')).status).toBe(200);
    expect((await postTraces(c.tracesUrl, jsonBody([...first, ...second]), 'json')).status).toBe(200);
    const records = c.records('mixed');
    expect(records.observations).toHaveLength(6);
    expect(new Set(records.observations.map((o) => o.id)).size).toBe(6);
    expect(records.traces.map((t) => t.name).sort()).toEqual(['first', 'second']);
  });

  it('a span repeated inside one request is stored once', async () => {
    const c = await serve();
    const span = jsonSpan({ name: 'twice' });
    expect((await postJson(c.tracesUrl, jsonRequest([span, span], 'inner'))).status).toBe(200);
    expect(c.records('inner').observations).toHaveLength(1);
  });
});

describe('record batches (POST /v1/fluxloop/records) are stored once per batch_id', () => {
  it('a batch posted twice: stored, then acknowledged as a duplicate', async () => {
    const c = await serve();
    const batch = recordBatch({ serviceName: 'batches' });
    const first = await postJson(c.recordsUrl, batch);
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({ batch_id: batch.batch_id, stored: true, duplicate: false });
    const second = await postJson(c.recordsUrl, batch);
    expect(second.status).toBe(200);
    expect(second.json()).toEqual({ batch_id: batch.batch_id, stored: false, duplicate: true });
    const records = c.records('batches');
    expect(records.traces).toEqual(batch.traces);
    expect(records.observations).toEqual(batch.observations);
    expect(schemaProblems(records)).toEqual([]);
    expect(c.stats()).toMatchObject({ batches: 1, duplicateBatches: 1 });
  });

  it('remembers batch ids across a restart on the same output dir (journal)', async () => {
    const dir = tempDir();
    const batch = recordBatch({ serviceName: 'restarts' });
    const first = await serve({ outputDir: dir });
    expect((await postJson(first.recordsUrl, batch)).json()).toMatchObject({ stored: true });
    await first.close();

    const second = await serve({ outputDir: dir });
    expect(second.port).not.toBe(0);
    expect((await postJson(second.recordsUrl, batch)).json()).toMatchObject({ stored: false, duplicate: true });
    const next = recordBatch({ serviceName: 'restarts', name: 'after-restart' });
    expect((await postJson(second.recordsUrl, next)).json()).toMatchObject({ stored: true });
    await second.close();

    const third = await serve({ outputDir: dir });
    for (const b of [batch, next]) {
      expect((await postJson(third.recordsUrl, b)).json()).toMatchObject({ duplicate: true });
    }
    const records = third.records('restarts');
    expect(records.traces.map((t) => t.name)).toEqual(['batch-agent', 'after-restart']);
    expect(records.observations).toHaveLength(6);
  });

  it('a batch id holding a line break neither splits into other ids nor is forgotten after a restart', async () => {
    const dir = tempDir();
    const first = await serve({ outputDir: dir });
    const evil = recordBatch({ serviceName: 'journal', batchId: 'evil\nvictim', name: 'evil' });
    expect((await postJson(first.recordsUrl, evil)).json()).toMatchObject({ stored: true });
    await first.close();
    const second = await serve({ outputDir: dir });
    const victim = recordBatch({ serviceName: 'journal', batchId: 'victim', name: 'victim' });
    expect((await postJson(second.recordsUrl, victim)).json()).toMatchObject({ stored: true });
    expect((await postJson(second.recordsUrl, evil)).json()).toMatchObject({ duplicate: true });
    expect(second.records('journal').traces.map((t) => t.name)).toEqual(['evil', 'victim']);
  });

  const invalid: [string, (b: Record<string, unknown>) => void, RegExp][] = [
    [
      'an unknown observation type',
      (b) => ((b.observations as Record<string, unknown>[])[0]!.type = 'bogus'),
      /\/observations\/0\/type/,
    ],
    ['a missing batch_id', (b) => delete b.batch_id, /\/batch_id: required/],
    ['an empty batch_id', (b) => (b.batch_id = ''), /\/batch_id/],
    [
      'a trace id that is not hex',
      (b) => ((b.traces as Record<string, unknown>[])[0]!.trace_id = 'xyz'),
      /\/traces\/0\/trace_id/,
    ],
    ['traces that is not a list', (b) => (b.traces = {}), /\/traces: must be array/],
    ['an unknown top-level property', (b) => (b.extra = 1), /\/extra: unknown property/],
    [
      'a negative duration',
      (b) => ((b.observations as Record<string, unknown>[])[1]!.duration_ms = -1),
      /\/observations\/1\/duration_ms/,
    ],
  ];
  for (const [what, spoil, field] of invalid) {
    it(`a batch with ${what}: 400 naming the field, nothing stored, the batch id not used up`, async () => {
      const c = await serve();
      const batch = recordBatch({ serviceName: 'invalid' });
      const spoiled = structuredClone(batch) as unknown as Record<string, unknown>;
      spoil(spoiled);
      const reply = await postJson(c.recordsUrl, spoiled);
      expect(reply.status).toBe(400);
      expect(reply.json<{ message: string }>().message).toMatch(/^invalid record batch: /);
      expect(reply.json<{ message: string }>().message).toMatch(field);
      expect(fs.existsSync(path.join(c.dir, 'invalid'))).toBe(false);
      expect((await postJson(c.recordsUrl, batch)).json()).toMatchObject({ stored: true });
      expect(c.records('invalid').observations).toHaveLength(3);
    });
  }
});

describe('the service name picks the folder', () => {
  it('a batch goes to the folder of its service_name, unknown_service without one', async () => {
    const c = await serve();
    await postJson(c.recordsUrl, recordBatch({ serviceName: 'billing' }));
    await postJson(c.recordsUrl, recordBatch({ serviceName: 'checkout' }));
    await postJson(c.recordsUrl, recordBatch());
    expect(serviceFolders(c.dir)).toEqual(['billing', 'checkout', 'unknown_service']);
    for (const folder of serviceFolders(c.dir)) expect(c.records(folder).traces).toHaveLength(1);
  });

  it('hostile service names stay inside the output dir and out of the collector journal', async () => {
    const root = tempDir();
    const dir = path.join(root, 'out');
    const c = await serve({ outputDir: dir });
    const names = ['../escape', '../../../../tmp/x', '.collector', '..', 'a/b\\c', 'ok name ✓'];
    for (const name of names) {
      expect((await postJson(c.recordsUrl, recordBatch({ serviceName: name }))).status).toBe(200);
      expect((await postJson(c.tracesUrl, jsonRequest([jsonSpan({ name })], name))).status).toBe(200);
    }
    expect(fs.readdirSync(root)).toEqual(['out']);
    const folders = serviceFolders(dir);
    for (const f of folders) expect(f).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
    expect(folders).toHaveLength(names.length);
    // The journal holds batch ids only.
    expect(fs.readdirSync(path.join(dir, '.collector'))).toEqual(['batches.log']);
    const total = folders.reduce((n, f) => n + c.records(f).traces.length, 0);
    expect(total).toBe(names.length * 2);
  });
});
