/**
 * Masks secret-looking values in free text (logs, events, env vars, annotations)
 * before evidence is stored, sent to an LLM or posted to Slack. Pure and idempotent.
 * Each rule is here because a real credential format looks like it; near-misses the
 * rules must leave alone (certificates, image digests, `secretName:` references,
 * `max_tokens=4096`, `${DB_PASSWORD}`) are in test/unit/redact-text.test.ts.
 */
export const REDACTED = '[REDACTED]';

type Rule = { name: string; pattern: RegExp; replace: (match: string, ...groups: string[]) => string };

const TOKEN_CHARS = '[A-Za-z0-9._~+/-]';

/** Key names whose values are credentials: the key must end in one of these words. */
const SECRET_KEY =
  '[A-Za-z0-9_.-]*?(?:password|passwd|pwd|pass|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?|accountkey|sharedaccesskey|sig|signature|session[_-]?id|cookie)';

function hasDigit(text: string): boolean {
  return /\d/.test(text);
}

const RULES: Rule[] = [
  {
    name: 'private key block',
    pattern: /-----BEGIN ((?:[A-Z]+ )*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g,
    replace: (_m, type = '') => `-----BEGIN ${type}PRIVATE KEY-----${REDACTED}-----END ${type}PRIVATE KEY-----`,
  },
  {
    name: 'authorization header',
    pattern: new RegExp(`\\b(authorization|proxy-authorization)(["']?\\s*[:=]\\s*["']?)(bearer|basic|token|digest|negotiate)?\\s*(${TOKEN_CHARS}{6,}=*)`, 'gi'),
    replace: (m, header = '', sep = '', scheme, value = '') =>
      // Without a scheme group the "value" may be the scheme of an already-masked header.
      !scheme && /^(?:bearer|basic|token|digest|negotiate)$/i.test(value) ? m : `${header}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  },
  {
    name: 'bearer token',
    pattern: new RegExp(`\\b(bearer)\\s+(${TOKEN_CHARS}{16,}=*)`, 'gi'),
    replace: (m, scheme = '', value = '') => (hasDigit(value) ? `${scheme} ${REDACTED}` : m),
  },
  { name: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: () => REDACTED },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b/g, replace: () => REDACTED },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: () => REDACTED },
  { name: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g, replace: () => REDACTED },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, replace: () => REDACTED },
  { name: 'Slack token', pattern: /\bxox[abposre]-[A-Za-z0-9-]{10,}\b/g, replace: () => REDACTED },
  { name: 'Slack app token', pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}\b/g, replace: () => REDACTED },
  {
    name: 'Slack webhook URL',
    pattern: /(https:\/\/hooks\.slack\.com\/(?:services|workflows)\/)[A-Za-z0-9/_-]+/g,
    replace: (_m, prefix = '') => `${prefix}${REDACTED}`,
  },
  { name: 'OpenAI/Anthropic key', pattern: /\bsk-(?:ant-|proj-|svcacct-)?[A-Za-z0-9_-]{20,}\b/g, replace: () => REDACTED },
  { name: 'Stripe key', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}\b/g, replace: () => REDACTED },
  { name: 'SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g, replace: () => REDACTED },
  {
    name: 'password in URL',
    pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi,
    replace: (m, prefix = '', password = '', at = '') => (password.startsWith('$') || password === REDACTED ? m : `${prefix}${REDACTED}${at}`),
  },
  {
    name: 'secret key=value',
    pattern: new RegExp(`(["']?\\b${SECRET_KEY}["']?)(\\s*(?:=|:)\\s*)(\\[REDACTED\\]|"[^"\\n]*"|'[^'\\n]*'|[^\\s,;&"'}\\]]+)`, 'gi'),
    replace: (m, key = '', sep = '', value = '') => {
      const bare = value.replace(/^["']|["']$/g, '');
      if (bare === '' || bare === REDACTED || bare.startsWith('$') || bare.startsWith('<') || /^\*+$/.test(bare)) return m;
      // `token: 5` counts, `pass: true` flags, `password: null` — not credentials.
      if (/^(?:true|false|null|none|nil|undefined|\d{1,3})$/i.test(bare)) return m;
      const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
      return `${key}${sep}${quote}${REDACTED}${quote}`;
    },
  },
];

export function redactText(text: string): string {
  let result = text;
  for (const rule of RULES) result = result.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string);
  return result;
}

/** Env-var and annotation maps: a value under a secret-looking key is masked whole. */
export function redactRecord(record: Record<string, string>): Record<string, string> {
  const secretKey = new RegExp(`^${SECRET_KEY}$`, 'i');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = secretKey.test(key) && value !== '' && !value.startsWith('$') ? REDACTED : redactText(value);
  }
  return out;
}
