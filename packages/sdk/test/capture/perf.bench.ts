/**
 * Micro-benchmark of the capture hot path. A plain script, not a test: timing assertions are flaky on
 * shared machines, so this only prints medians. Run from the repository root:
 *
 *   npx tsx packages/sdk/test/capture/perf.bench.ts
 */
import { Redactor } from '../../src/capture/redaction.js';
import { toJsonText } from '../../src/capture/serialize.js';

// Prose like an assistant's answer: sentences, commas, an apostrophe, a few digits, no secrets.
const PARAGRAPH =
  'The quarterly report shows that revenue grew by 12 percent compared with the same period last year, ' +
  'driven mostly by new customers in the healthcare and education sectors. Operating costs rose more ' +
  'slowly than expected because the team renegotiated several supplier contracts and moved two ' +
  'services to cheaper infrastructure. However, churn among small business accounts increased ' +
  'slightly, and the support team reports that onboarding still takes too long. We recommend that the ' +
  'product group simplify the setup flow, publish clearer documentation for the most common ' +
  'integrations, and follow up with every customer who has not completed setup within two weeks. ';

function englishText(length: number): string {
  let text = '';
  while (text.length < length) text += PARAGRAPH;
  return text.slice(0, length);
}

const CLEAN = englishText(1024);
const KEY = 'sk-proj-Xq7vB2mK9pL4wR8tY3nC6dF1gH5jZ0aS';
// Colons and URLs make the broad `secret_assignment` and `url_credentials` rules run their regexes.
const WITH_COLON = `Note: see https://example.com/report for details. ${CLEAN}`.slice(0, 1024);
const WITH_SECRET = `${CLEAN.slice(0, 500)} Use the key ${KEY} for the staging account. ${CLEAN.slice(0, 1024 - 548 - KEY.length)}`;

function nestedObject(): unknown {
  const messages = [];
  for (let i = 0; i < 6; i++) {
    messages.push({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: CLEAN.slice(i * 100, i * 100 + 600),
      metadata: { index: i, tokens: 120 + i, tags: ['draft', 'reviewed'], createdAt: new Date(1_700_000_000_000) },
    });
  }
  return { model: 'gpt-4o', temperature: 0.2, max_tokens: 512, messages, options: { stream: false, user: 'u-1' } };
}

const NESTED = nestedObject();
const redactor = new Redactor();
let sink = 0;

/** Median ns per call over `rounds` rounds of `iterations` calls, after a warm-up. */
function measure(fn: () => unknown, iterations = 20_000, rounds = 15): number {
  for (let i = 0; i < iterations; i++) fn();
  const perCall: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      const out = fn();
      if (typeof out === 'string') sink += out.length;
    }
    perCall.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  perCall.sort((a, b) => a - b);
  return perCall[Math.floor(perCall.length / 2)]!;
}

const cases: [string, () => unknown][] = [
  ['redactString, 1 KB clean text', () => redactor.redactString(CLEAN)],
  ['redactString, 1 KB with one API key', () => redactor.redactString(WITH_SECRET)],
  ['redactString, 1 KB clean, a colon and a URL', () => redactor.redactString(WITH_COLON)],
  ['JSON.stringify(["1 KB text"]) (baseline)', () => JSON.stringify([CLEAN])],
  ['toJsonText(["1 KB text"]), no redactor', () => toJsonText([CLEAN], { maxLength: 32_768 })],
  ['toJsonText(["1 KB text"]), redactor', () => toJsonText([CLEAN], { maxLength: 32_768, redactor })],
  ['JSON.stringify(nested 5 KB) (baseline)', () => JSON.stringify(NESTED)],
  ['toJsonText(nested 5 KB), no redactor', () => toJsonText(NESTED, { maxLength: 32_768 })],
  ['toJsonText(nested 5 KB), redactor', () => toJsonText(NESTED, { maxLength: 32_768, redactor })],
];

console.log(`node ${process.version}; nested object is ${JSON.stringify(NESTED).length} chars of JSON`);
const results = new Map<string, number>();
for (const [name, fn] of cases) {
  const median = measure(fn);
  results.set(name, median);
  console.log(`${name.padEnd(46)} ${(median / 1000).toFixed(3).padStart(8)} µs`);
}
const ratio = (a: string, b: string) => ((results.get(a) ?? 0) / (results.get(b) ?? 1)).toFixed(2);
console.log(
  `ratio toJsonText([1 KB], redactor) / JSON.stringify: ${ratio('toJsonText(["1 KB text"]), redactor', 'JSON.stringify(["1 KB text"]) (baseline)')}`,
);
if (sink === 0) console.log('(unreachable: keeps results alive)');
