import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Spool } from '../../src/storage/spool.js';
import { removeTempDirs, tempDir } from './fake-collector.js';

afterAll(removeTempDirs);

async function drain(lines: AsyncIterator<string>): Promise<string[]> {
  const out: string[] = [];
  for (let next = await lines.next(); !next.done; next = await lines.next()) out.push(next.value);
  return out;
}

describe('Spool', () => {
  it('lets exactly one of two claimers take a file, and names it after the claimer', () => {
    const dir = tempDir();
    const writer = new Spool(dir);
    writer.append('{"batch_id":"a"}');
    const [first, second] = [new Spool(dir).claimNext(), new Spool(dir).claimNext()];
    expect(first).toMatch(new RegExp(`\\.sending-${process.pid}-[0-9a-z]+$`));
    expect(second).toBeUndefined();
    writer.append('{"batch_id":"b"}'); // a claimed file is never appended to: this starts a new one
    expect(fs.readFileSync(first!, 'utf8')).toBe('{"batch_id":"a"}\n');
    expect(fs.readFileSync(writer.file, 'utf8')).toBe('{"batch_id":"b"}\n');
  });

  it('streams lines and picks up a line appended to the claimed file while it was read', async () => {
    const dir = tempDir();
    const spool = new Spool(dir);
    spool.append('one');
    spool.append('two');
    const claimed = spool.claimNext()!;
    const lines = spool.lines(claimed);
    expect((await lines.next()).value).toBe('one');
    fs.appendFileSync(claimed, 'late\n'); // a writer that opened the path just before the rename
    expect(await drain(lines)).toEqual(['two', 'late']);
  });

  it('writes the rest of a claimed file back under a fresh spool name', async () => {
    const dir = tempDir();
    const spool = new Spool(dir);
    for (const l of ['1', '2', '3', '4']) spool.append(l);
    const claimed = spool.claimNext()!;
    const lines = spool.lines(claimed);
    await lines.next();
    const second = await lines.next();
    await spool.writeBack(claimed, second.value as string, lines);
    const names = fs.readdirSync(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^spool-.*\.jsonl$/);
    expect(fs.readFileSync(path.join(dir, names[0]!), 'utf8')).toBe('2\n3\n4\n');
  });

  it('removes half-written copies left by a dead process', () => {
    const dir = tempDir();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    fs.writeFileSync(path.join(dir, `writeback-${deadPid}-0a.part`), 'half');
    fs.writeFileSync(path.join(dir, `writeback-${process.pid}-0b.part`), 'in progress');
    expect(new Spool(dir).claimNext()).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([`writeback-${process.pid}-0b.part`]);
  });

  it('creates its directory lazily', () => {
    const dir = path.join(tempDir(), 'nested', 'spool');
    const spool = new Spool(dir);
    expect(spool.claimNext()).toBeUndefined();
    expect(fs.existsSync(dir)).toBe(false);
    spool.append('x');
    expect(fs.readFileSync(spool.file, 'utf8')).toBe('x\n');
  });
});
