import fs from 'node:fs';
import path from 'node:path';
import { VERSION as LANGCHAIN_VERSION } from '@fluxloop/langchain';
import { SDK_VERSION } from '@fluxloop/sdk';
import { describe, expect, it } from 'vitest';

const versionOf = (pkg: string) =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', pkg, 'package.json'), 'utf8')).version;

describe('version constants', () => {
  // They name the instrumentation scope of every span (and the fluxloop.sdk.version resource attribute).
  it('match package.json', () => {
    expect(SDK_VERSION).toBe(versionOf('sdk'));
    expect(LANGCHAIN_VERSION).toBe(versionOf('langchain'));
  });
});
