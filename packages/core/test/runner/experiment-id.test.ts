import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExperimentFolder, UserError } from '../../src/index.js';
import { tempProject } from '../helpers/project.js';

const NOW = new Date('2026-11-22T10:04:05.678Z');

describe('experiment folders', () => {
  it('named YYYYMMDD-HHMMSS-<6 hex> (UTC), created under the output directory (made if missing)', () => {
    const out = path.join(tempProject({}), 'deep', 'experiments');
    const folder = createExperimentFolder(out, { now: NOW });
    expect(folder.id).toMatch(/^20261122-100405-[0-9a-f]{6}$/);
    expect(folder.dir).toBe(path.join(out, folder.id));
    expect(fs.readdirSync(folder.dir)).toEqual([]);
  });

  it('a name already taken (another experiment in the same second) is never reused: the next suffix is drawn', () => {
    const out = tempProject({});
    const suffixes = ['aaaaaa', 'aaaaaa', 'aaaaaa', 'bbbbbb'];
    const draw = () => suffixes.shift()!;
    const first = createExperimentFolder(out, { now: NOW, suffix: draw });
    const second = createExperimentFolder(out, { now: NOW, suffix: draw });
    expect([first.id, second.id]).toEqual(['20261122-100405-aaaaaa', '20261122-100405-bbbbbb']);
    expect(suffixes).toEqual([]);
  });

  it('many experiments in the same second all get folders of their own', () => {
    const out = tempProject({});
    // Every experiment draws the same suffixes in the same order: each has to get past all the taken ones.
    const ids = Array.from({ length: 8 }, () => {
      let k = 0;
      return createExperimentFolder(out, { now: NOW, suffix: () => `s${k++}` }).id;
    });
    expect(ids).toEqual(Array.from({ length: 8 }, (_, i) => `20261122-100405-s${i}`));
    expect(fs.readdirSync(out).sort()).toEqual([...ids].sort());
  });

  it('an output directory that cannot be created is a UserError naming it', () => {
    const file = path.join(tempProject({ 'not-a-dir': 'x' }), 'not-a-dir');
    expect(() => createExperimentFolder(path.join(file, 'experiments'))).toThrow(UserError);
    expect(() => createExperimentFolder(path.join(file, 'experiments'))).toThrow(
      `cannot create the output directory ${path.join(file, 'experiments')}`,
    );
  });
});
