import type { CauseId } from './causes.js';

/**
 * Recognisable failure lines in application logs. Ordered from specific to generic:
 * "FATAL: could not connect: connection refused" is a refused dependency, not just
 * a fatal error. `dns` and `timeout` lines are for the network analyzer.
 */
export type LogPatternKind = CauseId | 'dns' | 'timeout';

export const LOG_PATTERNS: ReadonlyArray<{ kind: LogPatternKind; pattern: RegExp }> = [
  { kind: 'certificate-invalid', pattern: /x509:|certificate (has )?expired|certificate is not yet valid|unknown (certificate )?authority|CERT_HAS_EXPIRED|SSLHandshakeException|certificate verify failed|PKIX path|self[- ]signed certificate/i },
  { kind: 'dns', pattern: /no such host|SERVFAIL|server misbehaving|Temporary failure in name resolution|getaddrinfo (ENOTFOUND|EAI_AGAIN)|Name or service not known|UnknownHostException|could not resolve host|NXDOMAIN|can't resolve|lookup \S+ on [\d.]+:53|[\d.]+:53: (i\/o timeout|read: connection refused)/i },
  { kind: 'dependency-connection-refused', pattern: /connection refused|ECONNREFUSED|Connection refused|Could not connect to|could not connect to server|Can't connect to (MySQL|Redis)/i },
  { kind: 'timeout', pattern: /i\/o timeout|ETIMEDOUT|connection timed out|connect timed out|context deadline exceeded|Connection timed out|ConnectTimeoutException/i },
  { kind: 'volume-filling-up', pattern: /no space left on device|ENOSPC|disk quota exceeded/i },
  { kind: 'permission-denied', pattern: /permission denied|EACCES|operation not permitted|AccessDenied|is forbidden: User/i },
  { kind: 'app-panic', pattern: /^\s*(panic:|fatal error: |SIGSEGV|runtime error: )/ },
  { kind: 'app-exception', pattern: /^\s*([\w$.]*(Exception|Error)(: .*)?|Traceback \(most recent call last\):|Unhandled(PromiseRejection| exception)|Caused by: .*)$/ },
  { kind: 'app-fatal', pattern: /\bFATAL\b|\blevel=fatal\b|"level":"fatal"|\bCRITICAL\b|\[emerg\]|\bfatal:/i },
];

export type LogMatch = { kind: LogPatternKind; line: string; index: number };

const STACK_FRAME = /^\s+(at |File ")|^\s*\.\.\. \d+ more/;

/**
 * All recognised lines of a log, best first (pattern order, then the last
 * occurrence, which is usually what killed the process).
 */
export function matchLogPatterns(text: string): LogMatch[] {
  const lines = text.split('\n');
  const out: LogMatch[] = [];
  for (const { kind, pattern } of LOG_PATTERNS) {
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      const line = lines[i] ?? '';
      if (STACK_FRAME.test(line) || !pattern.test(line)) continue;
      out.push({ kind, line: decisiveLine(lines, i, kind).trim(), index: i });
      break;
    }
  }
  return out;
}

/** For a Python traceback the decisive line is the last one of the trace. */
function decisiveLine(lines: string[], i: number, kind: LogPatternKind): string {
  const line = lines[i] ?? '';
  if (kind === 'app-exception' && /^Traceback/.test(line.trim())) {
    for (let j = i + 1; j < lines.length; j += 1) {
      const l = lines[j] ?? '';
      if (l.trim() && !/^\s/.test(l)) return l;
    }
  }
  return line;
}

/** `host:port` or `host` a refused/timed-out/DNS line names, when it names one. */
export function targetOfLine(line: string): { host: string; port: string | null } | null {
  const lookup = /lookup ([\w.-]+)/.exec(line) ?? /(?:resolve host|getaddrinfo \w+|UnknownHostException:?) ['"]?([\w.-]+)/.exec(line) ?? /can't resolve '?([\w.-]+)/.exec(line);
  if (lookup?.[1]) return { host: lookup[1], port: null };
  const hp = /(?:dial tcp |connect(?:ing)? to |ECONNREFUSED |ETIMEDOUT |at |server |host )\[?"?([\w.-]+)"?\]?:(\d{2,5})/.exec(line) ?? /\b((?:\d{1,3}\.){3}\d{1,3}|[a-z][\w-]*(?:\.[\w-]+)*):(\d{2,5})\b/.exec(line);
  if (hp?.[1]) return { host: hp[1], port: hp[2] ?? null };
  return null;
}
