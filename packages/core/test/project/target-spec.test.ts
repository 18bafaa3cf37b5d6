import { describe, expect, it } from 'vitest';
import { ConfigError, parseTargetSpec } from '../../src/index.js';

describe('parseTargetSpec', () => {
  it.each([
    ['./agent.ts:run', { module: './agent.ts', exportName: 'run' }],
    ['./agent.ts', { module: './agent.ts', exportName: 'default' }],
    ['./src/agent.mts:Agent.handle', { module: './src/agent.mts', exportName: 'Agent', method: 'handle' }],
    ['@acme/agents/support:run', { module: '@acme/agents/support', exportName: 'run' }],
    ['C:\\agents\\a.ts:run', { module: 'C:\\agents\\a.ts', exportName: 'run' }],
    ['C:\\agents\\a.ts', { module: 'C:\\agents\\a.ts', exportName: 'default' }],
    ['./agent.ts:default', { module: './agent.ts', exportName: 'default' }],
  ])('%s', (spec, expected) => {
    expect(parseTargetSpec(spec)).toEqual(expected);
  });

  it.each([
    [':run', /names no module/],
    ['./agent.ts:a.b.c', /"a\.b\.c" after the colon/],
    ['./agent.ts:run-now', /"run-now" after the colon/],
    ['./agent.ts:', /"" after the colon/],
  ])('rejects %s', (spec, message) => {
    expect(() => parseTargetSpec(spec)).toThrow(ConfigError);
    expect(() => parseTargetSpec(spec)).toThrow(message);
  });
});
