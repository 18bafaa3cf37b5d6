import { agent } from '@fluxloop/sdk';
import { describe, expect, it } from 'vitest';
import { experimentIn, functionTarget } from './experiment-helpers.js';

const echo = agent(async function echo(input: string) {
  return `you said: ${input}`;
});

const HEADER_TOKEN = 'Bearer tok_live_9f8e7d6c5b4a39281706';
const API_KEY = 'sk-proj-ABCDEFGHIJ1234567890abcdefghij';

describe('summary.json', () => {
  it('holds the effective config (overrides applied) with secrets redacted by key and by value', async () => {
    const { result, artifacts } = await experimentIn({
      runner: [
        'http:',
        '  url: http://127.0.0.1:9/agent',
        '  headers:',
        `    Authorization: ${HEADER_TOKEN}`,
        '    X-Request-Source: fluxloop',
      ].join('\n'),
      simulation: `metadata:\n  openai_api_key: ${API_KEY}\n  note: "the key is ${API_KEY}"\n  team: support`,
      overrides: { iterations: 2, concurrency: 1, name: 'override-name' },
      target: () => functionTarget((input) => echo(input), { description: 'POST http://127.0.0.1:9/agent' }),
    });
    const text = JSON.stringify(artifacts.summary);
    expect(text).not.toContain('tok_live_9f8e7d6c5b4a39281706');
    expect(text).not.toContain(API_KEY);
    expect(artifacts.summary.config).toEqual({
      name: 'override-name',
      iterations: 2,
      concurrency: 1,
      timeout_seconds: 60,
      retries: 0,
      fail_on_run_errors: true,
      tags: [],
      metadata: {
        openai_api_key: '[REDACTED:api_key_field]',
        note: 'the key is [REDACTED:openai_api_key]',
        team: 'support',
      },
      output_directory: 'experiments',
      runner: {
        http: {
          url: 'http://127.0.0.1:9/agent',
          method: 'POST',
          headers: { Authorization: '[REDACTED:authorization_field]', 'X-Request-Source': 'fluxloop' },
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the body template as configs/simulation.yaml holds it
          body: { input: '${input}' },
          response: { format: 'json', done_marker: '[DONE]' },
        },
        pass_context: false,
        otlp_port: 0,
        quiet_period_ms: 300,
      },
      replay_args: { enabled: false, recording_file: 'recordings/args_recording.jsonl' },
      project: { name: 'demo', capture: 'full' },
      inputs: { source: 'base_inputs', entries: 1 },
      planned_runs: 2,
      overrides: { iterations: 2, concurrency: 1, name: 'override-name' },
    });
    expect(artifacts.summary.experiment_id).toBe(result.experimentId);
    expect(result.dir.endsWith(`/experiments/${result.experimentId}`)).toBe(true);
  });

  it('results: counts, latency quantiles and token totals over the runs', async () => {
    const { artifacts } = await experimentIn({
      inputs: ['a', 'b', 'c', 'd'],
      target: () => functionTarget((input) => (input === 'd' ? Promise.reject(new Error('no')) : input)),
    });
    const durations = artifacts.traceSummaries.map((s) => s.duration_ms).sort((x, y) => x - y);
    const { results } = artifacts.summary;
    expect(results).toEqual({
      total_runs: 4,
      successful: 3,
      failed: 1,
      success_rate: 0.75,
      duration: {
        avg_ms: Math.round((durations.reduce((s, d) => s + d, 0) / 4) * 1000) / 1000,
        p50_ms: Math.round(((durations[1]! + durations[2]!) / 2) * 1000) / 1000,
        p95_ms: Math.round((durations[2]! + (3 * 0.95 - 2) * (durations[3]! - durations[2]!)) * 1000) / 1000,
        max_ms: durations[3],
      },
      token_usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
    });
  });
});

describe('capture modes reach every file', () => {
  it('redacted: an API key in the input is masked in traces, observations and trace_summary', async () => {
    const { artifacts } = await experimentIn({
      capture: 'redacted',
      inputs: [`my key is ${API_KEY}`],
      target: () => functionTarget((input) => echo(input)),
    });
    const everything = JSON.stringify(artifacts);
    expect(everything).not.toContain(API_KEY);
    expect(artifacts.traceSummaries[0]).toMatchObject({
      input: 'my key is [REDACTED:openai_api_key]',
      output: 'you said: my key is [REDACTED:openai_api_key]',
    });
  });

  it('none: no inputs or outputs in traces and observations; trace_summary keeps the input entry', async () => {
    const { artifacts } = await experimentIn({
      capture: 'none',
      inputs: ['private question'],
      target: () => functionTarget((input) => echo(input)),
    });
    expect(artifacts.traces.map((t) => [t.input, t.output])).toEqual([[null, null]]);
    expect(artifacts.observations.map((o) => [o.input, o.output])).toEqual([
      [null, null],
      [null, null],
    ]);
    expect(artifacts.traceSummaries.map((s) => [s.input, s.output, s.success])).toEqual([
      ['private question', null, true],
    ]);
  });
});
