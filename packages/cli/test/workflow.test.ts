import fs from 'node:fs';
import path from 'node:path';
import { ExitCode } from 'fluxloop';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { type ProviderServer, startProviderServer } from '../../core/test/inputs/helpers/provider-server.js';
import { cleanup } from './helpers/cli.js';
import {
  generateInputs,
  initProject,
  runExperiment,
  treeOf,
  workflowArtifacts,
  writeFiles,
} from './workflow-helpers.js';

const providers: ProviderServer[] = [];

afterEach(async () => {
  for (const server of providers.splice(0)) await server.close();
});
afterAll(cleanup);

/** Edits configs/input.yaml as a user would in an editor: the scaffold's comments stay. */
function editInputConfig(root: string, values: Record<string, unknown>): void {
  const file = path.join(root, 'configs/input.yaml');
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(values)) doc.setIn(key.split('.'), value);
  fs.writeFileSync(file, doc.toString());
}

/** The scaffolded agent's tool for an input: lookupOrder when it names an order, else searchFaq (agent.ts). */
const toolFor = (input: unknown) => (/\b[A-Z]-\d{4}\b/.test(String(input).toUpperCase()) ? 'lookupOrder' : 'searchFaq');

describe('init -> generate inputs -> run experiment, module targets (built CLI)', () => {
  // The scaffold as init writes it, with deterministic inputs generated: shared by the first two tests.
  let root: string;
  let first: Awaited<ReturnType<typeof generateInputs>>;
  beforeAll(async () => {
    root = await initProject();
    first = await generateInputs(root);
  });

  it('the scaffold as it is: deterministic inputs (the same bytes twice), agent.ts run over them twice', async () => {
    expect(first.exit.stdout).toBe(
      'wrote 44 inputs to inputs/generated.yaml (by strategy: base 11, rephrase 11, typo 11, casual 11)\n',
    );
    expect((await generateInputs(root)).text).toBe(first.text);
    const exit = await runExperiment(root, ['--iterations', '2']);
    expect([exit.code, exit.stdout]).toEqual([ExitCode.ok, '']);
    expect(exit.stderr).toContain('of ./agent.ts:run, 4 at a time');
    expect(exit.stderr).toContain('✓ 88 runs: 88 succeeded, 0 failed (success rate 100.0%)');
    const a = await workflowArtifacts(root, first.entries, 2);
    for (const run of a.traceSummaries) {
      expect(treeOf(a, run)).toEqual([
        'agent shopAssistant <- ./agent.ts:run',
        'event intent.detected <- shopAssistant',
        'span ./agent.ts:run <- none',
        `tool ${toolFor(run.input)} <- shopAssistant`,
      ]);
    }
    const unchanged = (input: string) => a.traceSummaries.filter((s) => s.input === input).map((s) => s.output);
    expect(new Set(unchanged('Where is my order A-1001?'))).toEqual(
      new Set(['Order A-1001 is shipped; expected Thursday.']),
    );
    expect(new Set(unchanged('What is your return policy?'))).toEqual(
      new Set(['You can return any item within 30 days for a full refund.']),
    );
  });

  it("the user's own TypeScript class (factory, pass_context), failing for one persona: failures counted", async () => {
    writeFiles(root, {
      'src/triage.ts': `
import { agent, tool } from '@fluxloop/sdk';

interface RunContext { persona: string | null; iteration: number }

const assign = tool(async function assign(team: string, input: string): Promise<string> {
  return team + ': ' + input.length + ' chars';
});

const triage = agent(async function triage(input: string, persona: string | null, team: string) {
  if (persona === 'frustrated_customer') throw new Error('escalated: ' + persona);
  return assign(team, input);
});

export class Triage {
  constructor(private readonly team: string) {}
  async handle(input: string, ctx: RunContext): Promise<string> {
    return triage(input, ctx.persona, this.team);
  }
}

export const makeTriage = async (): Promise<Triage> => new Triage('support');
`,
      'configs/simulation.yaml':
        'runner:\n  target: ./src/triage.ts:Triage.handle\n  factory: makeTriage\n  pass_context: true\n',
    });
    const entries = first.entries;
    const exit = await runExperiment(root, ['--concurrency', '8', '--output-dir', 'triage']);
    expect(exit.code).toBe(ExitCode.gateFailed);
    const failing = entries.filter((e) => e.persona === 'frustrated_customer').length;
    expect(exit.stderr).toContain(`✗ 44 runs: ${44 - failing} succeeded, ${failing} failed`);
    const a = await workflowArtifacts(root, entries, 1, 'triage');
    expect(a.summary.results).toMatchObject({ failed: failing, successful: 44 - failing });
    for (const run of a.traceSummaries) {
      const failed = run.persona === 'frustrated_customer';
      expect([run.success, run.error]).toEqual(
        failed ? [false, 'Error: escalated: frustrated_customer'] : [true, null],
      );
      if (!failed) expect(run.output).toBe(`support: ${String(run.input).length} chars`);
      const target = './src/triage.ts:Triage.handle';
      expect(treeOf(a, run)).toEqual(
        failed
          ? [`agent triage <- ${target}`, `span ${target} <- none`]
          : [`agent triage <- ${target}`, `span ${target} <- none`, 'tool assign <- triage'],
      );
    }
  });

  it('llm mode against a local OpenAI-compatible server, then the run over what the model wrote', async () => {
    const server = await startProviderServer('openai');
    providers.push(server);
    const root = await initProject('llm-shop');
    editInputConfig(root, {
      'input_generation.mode': 'llm',
      'input_generation.strategies': ['rephrase', 'formal'],
      'input_generation.include_base_inputs': false,
      'input_generation.llm': { provider: 'openai_compatible', base_url: server.baseUrl, model: 'local-model' },
    });
    const { exit, entries } = await generateInputs(root);
    expect(exit.stderr).toMatch(/generating 22 inputs \(openai_compatible local-model, 22 requests, seed 42\)/);
    // 11 (base input, persona) pairs x 2 strategies, one request each; the fake model echoes what it was asked.
    expect(server.requests).toHaveLength(22);
    expect(server.requests.every((r) => r.body.model === 'local-model' && !r.headers.authorization)).toBe(true);
    const base = ['Where is my order A-1001?', 'Has order A-1002 shipped yet?', 'What is your return policy?'];
    for (const entry of entries) {
      expect(entry.input).toBe(`${base[entry.base_index!] ?? 'How long does shipping take?'} [${entry.strategy} 0]`);
      expect([entry.variation, typeof entry.seed, typeof entry.persona]).toEqual([0, 'number', 'string']);
    }
    const run = await runExperiment(root);
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    const a = await workflowArtifacts(root, entries, 1);
    expect(new Set(a.traceSummaries.map((s) => s.success))).toEqual(new Set([true]));
    const policy = a.traceSummaries.find((s) => s.input === 'What is your return policy? [formal 0]');
    expect(policy?.output).toBe('You can return any item within 30 days for a full refund.');
  });
});
