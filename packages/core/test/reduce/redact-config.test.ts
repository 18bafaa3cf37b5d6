import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/reduce/redact-config.js';

describe('redactConfig: the SDK Redactor over summary.json config', () => {
  it('masks values under sensitive keys and secrets inside other strings, keeps the rest', () => {
    const config = {
      runner: {
        http: {
          url: 'https://agent.internal/run?api_key=abc',
          headers: { Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'X-Team': 'support' },
        },
        process: { command: 'node', env: { OPENAI_API_KEY: 'sk-proj-ABCDEFGHIJKLMNOPQRST123456', LOG_LEVEL: 'debug' } },
      },
      metadata: { password: 'hunter2', max_tokens: 512, token_env: 'FLUXLOOP_COLLECTOR_TOKEN' },
      notes: ['contact me with sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123'],
      iterations: 3,
    };
    expect(redactConfig(config)).toEqual({
      runner: {
        http: {
          url: 'https://agent.internal/run?api_key=[REDACTED:secret_assignment]',
          headers: { Authorization: '[REDACTED:authorization_field]', 'X-Team': 'support' },
        },
        process: { command: 'node', env: { OPENAI_API_KEY: '[REDACTED:api_key_field]', LOG_LEVEL: 'debug' } },
      },
      metadata: { password: '[REDACTED:password_field]', max_tokens: 512, token_env: 'FLUXLOOP_COLLECTOR_TOKEN' },
      notes: ['contact me with [REDACTED:anthropic_api_key]'],
      iterations: 3,
    });
  });
});
