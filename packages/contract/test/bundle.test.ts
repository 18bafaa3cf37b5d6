import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceRecord } from './fixtures.js';

// The schemas are imported as JSON and inlined by esbuild; this proves both published formats load and validate
// with the package's real tsup config. The output goes inside the package so that `ajv` resolves as it would for
// an installed package.
const pkgDir = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
let outDir: string;

beforeAll(() => {
  outDir = mkdtempSync(join(pkgDir, '.bundle-test-'));
  const tsup = join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  execFileSync(process.execPath, [tsup, '--out-dir', outDir, '--no-dts', '--silent'], { cwd: pkgDir, stdio: 'pipe' });
});
afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

type ValidateModule = typeof import('../src/validate.js');

describe('built validate entry', () => {
  it('works as ESM', async () => {
    const mod = (await import(pathToFileURL(join(outDir, 'validate.js')).href)) as ValidateModule;
    expect(mod.validateTraceRecord(traceRecord)).toEqual({ valid: true });
    expect(mod.validateRecordBatch({ batch_id: 'b', traces: [{}], observations: [] }).valid).toBe(false);
  });

  it('works as CommonJS', () => {
    const mod = require(join(outDir, 'validate.cjs')) as ValidateModule;
    expect(mod.validateTraceRecord(traceRecord)).toEqual({ valid: true });
    expect(() => mod.assertValid('summary', {})).toThrowError(/\/results: required property is missing/);
  });
});
