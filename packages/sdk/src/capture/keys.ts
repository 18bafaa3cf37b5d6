/**
 * Key-name rules. Keys are split into lowercase words ("segments") and matched word by word, so that
 * `openaiApiKey`, `OPENAI_API_KEY` and `X-Api-Key` all match while `monkey`, `keyboard` and `author`,
 * which merely contain a sensitive word as a substring, do not.
 */
import type { KeyRedactionRule } from './redaction.js';

/** `openaiApiKey` → openai, api, key; `X-Api-Key` → x, api, key; `HTTPHeader` → http, header. */
export function keySegments(key: string): string[] {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z])([A-Z][a-z])/g, '$1 $2');
  return spaced
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((segment) => segment.length > 0);
}

// The Redactor asks every key rule about the same key in a row and caches the verdict, so remembering
// the last split is enough to split each new key once.
let lastKey: string | undefined;
let lastSegments: string[] = [];
function segmentsOf(key: string): string[] {
  if (key !== lastKey) {
    lastSegments = keySegments(key);
    lastKey = key;
  }
  return lastSegments;
}

function keyRule(name: string, description: string, test: (segments: string[], key: string) => boolean) {
  const rule: KeyRedactionRule = {
    kind: 'key',
    name,
    description,
    matches: (key) => test(segmentsOf(key), key),
  };
  return rule;
}

function hasPair(segments: readonly string[], first: ReadonlySet<string>, second: string): boolean {
  for (let i = 0; i + 1 < segments.length; i++) {
    if (segments[i + 1] === second && first.has(segments[i]!)) return true;
  }
  return false;
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passphrase', 'passcode', 'pwd']);
const SECRET_WORDS = new Set(['secret', 'secrets', 'credential', 'credentials', 'creds']);
const KEY_QUALIFIERS = new Set(['api', 'private', 'signing', 'encryption', 'master', 'subscription']);
const KEY_COMPOUNDS = ['apikey', 'privatekey', 'signingkey', 'encryptionkey', 'masterkey'];
const AUTH_WORDS = new Set(['authorization', 'auth', 'oauth', 'authentication']);
const AUTH_CARRIERS = new Set(['header', 'headers', 'value', 'string']);

export const BUILTIN_KEY_RULES: readonly KeyRedactionRule[] = [
  keyRule(
    'password_field',
    'Keys naming a password or passphrase: password, dbPassword, passwd, pwd, passphrase; `pass` as the last word.',
    // PWD and OLDPWD are the shell's working directories, present in every dumped environment.
    (segments, key) =>
      key !== 'PWD' && key !== 'OLDPWD' && (segments.some((s) => PASSWORD_WORDS.has(s)) || segments.at(-1) === 'pass'),
  ),
  keyRule(
    'secret_field',
    'Keys naming a secret or credentials: secret, clientSecret, AWS_SECRET_ACCESS_KEY, credentials.',
    (segments) => segments.some((s) => SECRET_WORDS.has(s)),
  ),
  keyRule(
    'token_field',
    'Keys whose last word is a token: token, accessToken, refresh_token, csrftoken, X-Auth-Token, jwt. ' +
      'Token counts and settings (max_tokens, token_count, tokenizer, token_type) do not match.',
    (segments) => {
      const last = segments.at(-1);
      return last !== undefined && (last.endsWith('token') || last === 'jwt');
    },
  ),
  keyRule(
    'api_key_field',
    'Keys naming an API, private, signing, encryption, master or subscription key: apiKey, X-Api-Key, private_key.',
    (segments) =>
      hasPair(segments, KEY_QUALIFIERS, 'key') || segments.some((s) => KEY_COMPOUNDS.some((c) => s.endsWith(c))),
  ),
  keyRule(
    'authorization_field',
    'Authorization values: Authorization, Proxy-Authorization, auth, basicAuth, oauth, authHeader. Not author.',
    (segments) => {
      const last = segments.at(-1);
      if (last === undefined) return false;
      if (AUTH_WORDS.has(last)) return true;
      return AUTH_CARRIERS.has(last) && segments.length > 1 && AUTH_WORDS.has(segments.at(-2)!);
    },
  ),
  keyRule('cookie_field', 'Cookie headers and jars: cookie, Set-Cookie, cookies, sessionCookie.', (segments) => {
    const last = segments.at(-1);
    return last === 'cookie' || last === 'cookies';
  }),
];
