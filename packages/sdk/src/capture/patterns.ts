/**
 * Built-in value rules, in the order they run. Specific token formats come first so that they claim
 * their matches (and name them) before the broad rules at the end (`http_authorization`,
 * `secret_assignment`) see the text; a broad rule skips anything already replaced by a marker.
 */
import { BUILTIN_KEY_RULES } from './keys.js';
import { redactionMarker } from './markers.js';
import type { ValueRedactionRule } from './redaction.js';

// JSON text and env dumps repeat the same few names; splitting a name into words costs far more than a
// lookup. Bounded like the Redactor's own key cache.
const keyNameCache = new Map<string, boolean>();
function isSensitiveKeyName(key: string): boolean {
  let sensitive = keyNameCache.get(key);
  if (sensitive === undefined) {
    sensitive = BUILTIN_KEY_RULES.some((rule) => rule.matches(key));
    if (keyNameCache.size >= 1024) keyNameCache.clear();
    keyNameCache.set(key, sensitive);
  }
  return sensitive;
}

// A real credential after "Bearer"/"Basic" has a digit, a base64 symbol or a capital after a lowercase
// letter; the English words that follow "basic" or "bearer" in prose have none of these.
const CREDENTIAL_SHAPE = /[0-9+/=_~]|[a-z][A-Z]/;
const LITERAL_VALUE = /^(?:true|false|null|undefined|none|nil|yes|no)$/i;
const ALREADY_REDACTED = '[REDACTED:';

export const BUILTIN_VALUE_RULES: readonly ValueRedactionRule[] = [
  {
    kind: 'value',
    name: 'private_key',
    description:
      'PEM private key blocks (RSA, EC, OpenSSH, PKCS#8, encrypted, PGP), from BEGIN to END; a block cut ' +
      'before its END line (a truncated capture) is masked to the end of the text.',
    pattern:
      /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    triggers: ['-----BEGIN'],
  },
  {
    kind: 'value',
    name: 'anthropic_api_key',
    description: 'Anthropic API keys (sk-ant-api03-..., sk-ant-admin01-...). Runs before openai_api_key.',
    pattern: /\bsk-ant-[\w-]{20,}/g,
    triggers: ['sk-ant-'],
  },
  {
    kind: 'value',
    name: 'openai_api_key',
    description: 'OpenAI API keys: sk- followed by 20+ key characters, including sk-proj-, sk-svcacct-, sk-admin-.',
    pattern: /\bsk-(?:proj-|svcacct-|admin-)?[\w-]{20,}/g,
    // A key has digits or capitals; "sk-" starting a long hyphenated phrase does not. Checked after
    // the match rather than in a lookahead, which would rescan the run from every "sk-" in it.
    replacement: (match) => (/[0-9A-Z]/.test(match.slice(3)) ? redactionMarker('openai_api_key') : match),
    triggers: ['sk-'],
  },
  {
    kind: 'value',
    name: 'stripe_key',
    description: 'Stripe secret and restricted keys (sk_live_, sk_test_, rk_live_, rk_test_) and webhook secrets.',
    pattern: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}|\bwhsec_[0-9A-Za-z]{20,}/g,
    triggers: ['k_live_', 'k_test_', 'whsec_'],
  },
  {
    kind: 'value',
    name: 'github_token',
    description: 'GitHub tokens: ghp_, gho_, ghu_, ghs_, ghr_ and fine-grained github_pat_.',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/g,
    triggers: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  },
  {
    kind: 'value',
    name: 'slack_token',
    description: 'Slack tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxo-, xoxe-) and incoming-webhook URLs.',
    pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}|https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[\w/-]+/g,
    triggers: ['xox', '://hooks.slack.com'],
  },
  {
    kind: 'value',
    name: 'google_api_key',
    description: 'Google API keys: AIza followed by 35 key characters.',
    pattern: /\bAIza[\w-]{35}/g,
    triggers: ['AIza'],
  },
  {
    kind: 'value',
    name: 'aws_access_key_id',
    description: 'AWS access key ids: AKIA (long-term), ASIA (temporary), ABIA and ACCA, then 16 characters.',
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
    triggers: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  },
  {
    kind: 'value',
    name: 'jwt',
    description: 'JSON Web Tokens: two base64url JSON segments (eyJ...) and the signature, if present.',
    // Starting only where a run of token characters starts keeps the scan linear on "eyJeyJeyJ...".
    pattern: /eyJ(?<![\w-]eyJ)[\w-]{6,}\.eyJ[\w-]{6,}(?:\.[\w-]*)?/g,
    triggers: ['eyJ'],
  },
  {
    kind: 'value',
    name: 'http_authorization',
    description:
      'Bearer and Basic credentials as in an Authorization header, in any case; the scheme word is kept. ' +
      'Prose such as "the bearer of" or "basic understanding" does not match.',
    pattern: /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/-]{8,}=*)/gi,
    replacement: (match, scheme, space, credential) =>
      CREDENTIAL_SHAPE.test(credential ?? '') ? `${scheme}${space}${redactionMarker('http_authorization')}` : match,
    triggers: ['Bearer', 'bearer', 'BEARER', 'Basic', 'basic', 'BASIC'],
  },
  {
    kind: 'value',
    name: 'url_credentials',
    description: 'The password in a URL with credentials (scheme://user:password@host); user and host are kept.',
    // Starting at "://" rather than at the scheme lets the regex engine skip to colons.
    pattern: /:\/\/([^\s:@/]*):([^\s@/]+)@/g,
    replacement: (_match, user) => `://${user}:${redactionMarker('url_credentials')}@`,
    triggers: ['@'],
  },
  {
    kind: 'value',
    name: 'secret_assignment',
    description:
      'The value in `name=value` or `name: value` inside free text (env files, query strings, logs, JSON ' +
      'text) when the name is sensitive by the built-in key rules (password, api_key, client_secret, ' +
      'access_token, Authorization, ...). Booleans and null are kept.',
    // The match begins at the separator, its name checked in lookbehinds, so that the pattern can be
    // sticky: tried only at each ':' and '=' (found by indexOf) rather than scanned over the text. The
    // first lookbehind is a cheap filter (a word every sensitive key name contains) that spares the
    // replacement function, which applies the key rules exactly, for names like "Note" or "https".
    pattern:
      /[:=](?<=(?:pass|pwd|secret|cred|token|jwt|key|auth|cookie)[\w.-]{0,63}\\?["']?[ \t]*[:=])(?<=(?:^|[^\w.-])([A-Za-z_][\w.-]{0,63})\\?["']?[ \t]*[:=])([ \t]*)(?:(?:bearer|basic|token|digest)[ \t]+)?(?:\\?["']([^"'\\\r\n]+)|([^\s"'`,;&<>(){}\\]+))/giy,
    replacement: (match, key, _space, quoted, bare) => {
      const value = quoted ?? bare ?? '';
      if (value === '' || value.startsWith(ALREADY_REDACTED) || LITERAL_VALUE.test(value)) return match;
      if (!isSensitiveKeyName(key ?? '')) return match;
      return match.slice(0, match.length - value.length) + redactionMarker('secret_assignment');
    },
    triggers: ['=', ':'],
  },
];
