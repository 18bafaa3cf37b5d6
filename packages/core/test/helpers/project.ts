import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export const MINIMAL_PROJECT = { 'configs/project.yaml': 'name: demo\n' };

/** A temporary folder holding `files` (path relative to it -> content); removed after the test. */
export function tempProject(files: Record<string, string> = MINIMAL_PROJECT): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxloop-core-'));
  made.push(root);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}
