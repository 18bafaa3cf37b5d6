import { describe, expect, it } from 'vitest';
import {
  BUILTIN_REDACTION_RULES,
  type KeyRedactionRule,
  Redactor,
  redactionMarker,
  type ValueRedactionRule,
} from '../../src/capture/redaction.js';

// Fake credentials are assembled at run time so that secret scanners do not flag this file.
const rep = (s: string, n: number) => s.repeat(n);
const OPENAI = `sk-${rep('A1b2C3d4', 6)}`;
const OPENAI_PROJ = `sk-proj-${rep('Xy9_Zw8-', 8)}`;
const ANTHROPIC = `sk-ant-api03-${rep('Qr7St6Uv', 11)}-AA`;
const GITHUB = `ghp_${rep('aB3d', 9)}`;
const GITHUB_PAT = `github_pat_11${rep('ABCD1234', 3)}_${rep('xyz9', 10)}`;
const SLACK = `xoxb-${rep('1234', 3)}-${rep('5678', 3)}-${rep('aBcD', 6)}`;
const SLACK_HOOK = `https://hooks.slack.com/services/T${rep('0', 8)}/B${rep('1', 8)}/${rep('x', 24)}`;
const GOOGLE = `AIza${rep('Sy-9_kLm', 4)}abc`;
const AWS = `AKIA${rep('IOSF', 4)}`;
const STRIPE = `sk_live_${rep('4eC39HqLyjWDarjtT1zdp7dc', 1)}`;
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${rep('dozjgNryP4J3', 3)}`;
const PEM_BODY = `${rep('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', 2)}\n${rep('bKcwggSjAgEAAoIBAQC7', 2)}`;

interface RuleCase {
  rule: string;
  /** Input and the exact expected output of the rule alone. */
  positive: [string, string][];
  /** Inputs the rule alone must leave unchanged. */
  negative: string[];
}

const m = redactionMarker;
const VALUE_CASES: RuleCase[] = [
  {
    rule: 'private_key',
    positive: [
      [`-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----`, m('private_key')],
      [
        `key: -----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY----- done`,
        `key: ${m('private_key')} done`,
      ],
      [`-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----`, m('private_key')],
      [`-----BEGIN ENCRYPTED PRIVATE KEY-----\n${PEM_BODY}\n-----END ENCRYPTED PRIVATE KEY-----`, m('private_key')],
      [`-----BEGIN PGP PRIVATE KEY BLOCK-----\n${PEM_BODY}\n-----END PGP PRIVATE KEY BLOCK-----`, m('private_key')],
      [`cut here -----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}`, `cut here ${m('private_key')}`],
      [`"-----BEGIN PRIVATE KEY-----\\n${PEM_BODY}\\n-----END PRIVATE KEY-----\\n"`, `"${m('private_key')}\\n"`],
    ],
    negative: [
      `-----BEGIN PUBLIC KEY-----\n${PEM_BODY}\n-----END PUBLIC KEY-----`,
      `-----BEGIN CERTIFICATE-----\n${PEM_BODY}\n-----END CERTIFICATE-----`,
      'Never paste your private key into a chat.',
    ],
  },
  {
    rule: 'anthropic_api_key',
    positive: [
      [ANTHROPIC, m('anthropic_api_key')],
      [`ANTHROPIC_API_KEY="${ANTHROPIC}"`, `ANTHROPIC_API_KEY="${m('anthropic_api_key')}"`],
    ],
    negative: ['sk-ant-short', OPENAI, 'the task-ant-colony-simulation-project-2024 runs'],
  },
  {
    rule: 'openai_api_key',
    positive: [
      [OPENAI, m('openai_api_key')],
      [`use ${OPENAI_PROJ}.`, `use ${m('openai_api_key')}.`],
      [`Bearer sk-svcacct-${rep('Ab1', 10)}`, `Bearer ${m('openai_api_key')}`],
    ],
    negative: [
      'sk-learn',
      'desk-lamp-with-a-very-long-hyphenated-name',
      'the sk-this-is-only-a-long-hyphenated-lowercase-phrase',
      `task${OPENAI.slice(2)}`,
    ],
  },
  {
    rule: 'stripe_key',
    positive: [
      [STRIPE, m('stripe_key')],
      [`rk_test_${rep('a1B2', 6)} and whsec_${rep('Zz9Y', 8)}`, `${m('stripe_key')} and ${m('stripe_key')}`],
    ],
    negative: ['pk_live_publishable_is_public', 'sk_live_short', 'risk_live_stream'],
  },
  {
    rule: 'github_token',
    positive: [
      [GITHUB, m('github_token')],
      [`token ${GITHUB_PAT} end`, `token ${m('github_token')} end`],
      [`gho_${rep('Zz09', 9)}`, m('github_token')],
    ],
    negative: ['ghp_short', 'github_pat_', 'The github_page_url field', 'sigh_oh_well'],
  },
  {
    rule: 'slack_token',
    positive: [
      [SLACK, m('slack_token')],
      [`post to ${SLACK_HOOK} now`, `post to ${m('slack_token')} now`],
    ],
    negative: ['xox', 'xoxo-hugs', 'xoxb-', 'https://hooks.example.com/services/T1/B2', 'boxes-of-toys'],
  },
  {
    rule: 'google_api_key',
    positive: [
      [GOOGLE, m('google_api_key')],
      [`?key=${GOOGLE}&q=1`, `?key=${m('google_api_key')}&q=1`],
    ],
    negative: ['AIza', 'AIzaShort', 'Plaza', 'AIZA'],
  },
  {
    rule: 'aws_access_key_id',
    positive: [
      [AWS, m('aws_access_key_id')],
      [`id=ASIA${rep('Q2W3', 4)},`, `id=${m('aws_access_key_id')},`],
    ],
    negative: [`AKIA${rep('IOSF', 3)}`, `XAKIA${rep('IOSF', 4)}`, `AKIA${rep('iosf', 4)}`, 'ASIA is a continent'],
  },
  {
    rule: 'jwt',
    positive: [
      [JWT, m('jwt')],
      [`Bearer ${JWT}`, `Bearer ${m('jwt')}`],
      ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.', m('jwt')],
      [`{"id_token":"${JWT}"}`, `{"id_token":"${m('jwt')}"}`],
    ],
    negative: ['eyJust kidding', 'eyJhbGciOiJIUzI1NiJ9', 'hey.Joe', 'eyJabc.eyJdef.ghi', `x${JWT}`],
  },
  {
    rule: 'http_authorization',
    positive: [
      ['Authorization: Bearer abc123def456ghi789', `Authorization: Bearer ${m('http_authorization')}`],
      ['authorization: bearer AbCdEfGhIjKl', `authorization: bearer ${m('http_authorization')}`],
      ['Authorization: Basic dXNlcjpwYXNzd29yZA==', `Authorization: Basic ${m('http_authorization')}`],
      ['-H "Authorization: BEARER tok_123456789"', `-H "Authorization: BEARER ${m('http_authorization')}"`],
    ],
    negative: [
      'the bearer of bad news',
      'She has a basic understanding of chemistry.',
      'Basic settings are fine',
      'Bearer abc',
      'Bearer instruments are negotiable',
    ],
  },
  {
    rule: 'url_credentials',
    positive: [
      ['postgres://admin:s3cr3t@db:5432/app', `postgres://admin:${m('url_credentials')}@db:5432/app`],
      ['redis://:hunter2@cache', `redis://:${m('url_credentials')}@cache`],
      ['see https://u:p%40ss@example.com/x.', `see https://u:${m('url_credentials')}@example.com/x.`],
    ],
    negative: [
      'https://example.com/path?q=1',
      'https://user@example.com/',
      'http://localhost:8080/health',
      'mail bob@example.com at 10:30',
    ],
  },
  {
    rule: 'secret_assignment',
    positive: [
      ['password=hunter2', `password=${m('secret_assignment')}`],
      ['DB_PASSWORD = "correct horse battery"', `DB_PASSWORD = "${m('secret_assignment')}"`],
      ["api_key: 'abc123'", `api_key: '${m('secret_assignment')}'`],
      ['?client_secret=xyz&scope=read', `?client_secret=${m('secret_assignment')}&scope=read`],
      ['{"accessToken": "t0k3n", "n": 1}', `{"accessToken": "${m('secret_assignment')}", "n": 1}`],
      ['{\\"password\\":\\"pw\\"}', `{\\"password\\":\\"${m('secret_assignment')}\\"}`],
      ['Authorization: token abcdef', `Authorization: token ${m('secret_assignment')}`],
      ['X-Api-Key:k-42', `X-Api-Key:${m('secret_assignment')}`],
    ],
    negative: [
      'token_count: 512',
      'max_tokens=1024',
      'passwordless_enabled=true',
      'password_required: false',
      'Note: the password is reset daily',
      'author: Jane',
      'keyboard=us',
      'secretary: Bob',
      'at 2023-11-14T22:13:20Z',
      'https://example.com/a?b=c',
      'password=',
    ],
  },
];

const KEY_CASES: { rule: string; match: string[]; noMatch: string[] }[] = [
  {
    rule: 'password_field',
    match: [
      'password',
      'Password',
      'dbPassword',
      'DB_PASSWORD',
      'passwd',
      'passphrase',
      'pwd',
      'smtp_pass',
      'user-pass',
    ],
    noMatch: ['passwordless_enabled', 'pass_rate', 'passport', 'bypass', 'PWD', 'OLDPWD', 'compass'],
  },
  {
    rule: 'secret_field',
    match: ['secret', 'clientSecret', 'AWS_SECRET_ACCESS_KEY', 'client-secret', 'credentials', 'webhookSecret'],
    noMatch: ['secretary', 'secretive_mode', 'discreet'],
  },
  {
    rule: 'token_field',
    match: ['token', 'accessToken', 'refresh_token', 'X-Auth-Token', 'csrftoken', 'id_token', 'jwt', 'sessionToken'],
    noMatch: ['token_count', 'max_tokens', 'input_tokens', 'tokenizer', 'token_type', 'tokens', 'completionTokens'],
  },
  {
    rule: 'api_key_field',
    match: ['apiKey', 'api_key', 'X-Api-Key', 'openaiApiKey', 'OPENAI_API_KEY', 'apikey', 'x-apikey', 'privateKey'],
    noMatch: ['key', 'monkey', 'keyboard', 'keys', 'primary_key', 'keyId', 'api_version'],
  },
  {
    rule: 'authorization_field',
    match: ['Authorization', 'authorization', 'Proxy-Authorization', 'auth', 'basicAuth', 'authHeader', 'oauth'],
    noMatch: ['author', 'authorName', 'authors', 'authorization_url', 'authored_at'],
  },
  {
    rule: 'cookie_field',
    match: ['cookie', 'Cookie', 'Set-Cookie', 'cookies', 'sessionCookie'],
    noMatch: ['cookie_consent_version', 'cookieless', 'fortune_cookie_text_color'],
  },
];

function builtin<T extends 'value' | 'key'>(name: string, kind: T) {
  const rule = BUILTIN_REDACTION_RULES.find((r) => r.name === name);
  if (rule?.kind !== kind) throw new Error(`no built-in ${kind} rule ${name}`);
  return rule as T extends 'value' ? ValueRedactionRule : KeyRedactionRule;
}

describe('built-in value rules, each alone', () => {
  for (const c of VALUE_CASES) {
    describe(c.rule, () => {
      const rule = builtin(c.rule, 'value');
      const alone = new Redactor([rule]);
      // The same rule with no triggers runs its pattern on every string: any difference would mean a
      // trigger list that misses a form the pattern matches.
      const unfiltered = new Redactor([{ ...rule, triggers: undefined }]);

      it.each(c.positive)('masks %j', (input, expected) => {
        expect(alone.redactString(input)).toBe(expected);
        expect(unfiltered.redactString(input)).toBe(expected);
      });

      it.each(c.negative)('leaves %j alone', (input) => {
        expect(alone.redactString(input)).toBe(input);
        expect(unfiltered.redactString(input)).toBe(input);
      });
    });
  }
});

describe('built-in key rules, each alone', () => {
  for (const c of KEY_CASES) {
    describe(c.rule, () => {
      const rule = builtin(c.rule, 'key');
      it.each(c.match)('matches %j', (key) => expect(rule.matches(key)).toBe(true));
      it.each(c.noMatch)('does not match %j', (key) => expect(rule.matches(key)).toBe(false));
    });
  }
});

describe('the built-in table', () => {
  it('has a test table for every rule, and every rule is described', () => {
    const tested = new Set([...VALUE_CASES.map((c) => c.rule), ...KEY_CASES.map((c) => c.rule)]);
    for (const rule of BUILTIN_REDACTION_RULES) {
      expect(tested.has(rule.name), rule.name).toBe(true);
      expect(rule.description.length).toBeGreaterThan(20);
    }
    expect(new Set(BUILTIN_REDACTION_RULES.map((r) => r.name)).size).toBe(BUILTIN_REDACTION_RULES.length);
  });

  it('gives every value rule a global pattern and triggers', () => {
    for (const rule of BUILTIN_REDACTION_RULES) {
      if (rule.kind !== 'value') continue;
      expect(rule.pattern.global, rule.name).toBe(true);
      expect(rule.triggers?.length, rule.name).toBeGreaterThan(0);
    }
  });
});
