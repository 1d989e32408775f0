/**
 * Just enough of the PromQL lexer for a fake server to behave like Prometheus on the
 * inputs that matter to a client: string literals with Go escapes (the usual way a
 * label value breaks or injects into a query), balanced brackets, and `#` comments.
 * It also reads back every selector's label matchers and every range duration, so a
 * test can check what a query selects after the server unquoted it.
 *
 * It does not evaluate anything: a query it accepts is not necessarily valid PromQL.
 */

export type LabelMatcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };
export type Selector = { metric: string; matchers: LabelMatcher[] };
export type ReadPromql = { ok: true; selectors: Selector[]; ranges: string[] } | { ok: false; error: string };

type Token = { kind: 'word' | 'string' | 'op' | 'open' | 'close' | 'comma' | 'other'; text: string; at: number };

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const NAMES: Record<string, string> = { '(': 'parenthesis', '[': 'bracket', '{': 'brace' };

class PromqlSyntaxError extends Error {}

/** Positions read like Prometheus's `1:17: parse error: …` (line 1, 1-based column). */
function fail(at: number, message: string): never {
  throw new PromqlSyntaxError(`1:${at + 1}: parse error: ${message}`);
}

function readString(src: string, start: number): { value: string; end: number } {
  const quote = src[start];
  let value = '';
  let i = start + 1;
  if (quote === '`') {
    const close = src.indexOf('`', i);
    if (close < 0) fail(start, 'unterminated raw string');
    return { value: src.slice(i, close), end: close + 1 };
  }
  while (i < src.length) {
    const c = src[i] as string;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const e = src[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (hex > 0 && /^[0-9a-fA-F]+$/.test(src.slice(i + 2, i + 2 + hex)) && src.slice(i + 2, i + 2 + hex).length === hex) {
      value += String.fromCodePoint(parseInt(src.slice(i + 2, i + 2 + hex), 16));
      i += 2 + hex;
    } else if (/^[0-7]{3}$/.test(src.slice(i + 1, i + 4))) {
      value += String.fromCharCode(parseInt(src.slice(i + 1, i + 4), 8));
      i += 4;
    } else fail(i, `unknown escape sequence ${JSON.stringify(e)}`);
  }
  return fail(start, 'unterminated quoted string');
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) i += 1;
    else if (c === '#') i = src.includes('\n', i) ? src.indexOf('\n', i) : src.length;
    else if (c === '"' || c === "'" || c === '`') {
      const { value, end } = readString(src, i);
      tokens.push({ kind: 'string', text: value, at: i });
      i = end;
    } else if (/[A-Za-z0-9_:.]/.test(c)) {
      const word = /^[A-Za-z0-9_:.]+/.exec(src.slice(i))?.[0] ?? c;
      tokens.push({ kind: 'word', text: word, at: i });
      i += word.length;
    } else if (c === '(' || c === '[' || c === '{') tokens.push({ kind: 'open', text: c, at: i++ });
    else if (c === ')' || c === ']' || c === '}') tokens.push({ kind: 'close', text: c, at: i++ });
    else if (c === ',') tokens.push({ kind: 'comma', text: c, at: i++ });
    else if (/^(=~|!~|!=|==|>=|<=)/.test(src.slice(i, i + 2))) {
      tokens.push({ kind: 'op', text: src.slice(i, i + 2), at: i });
      i += 2;
    } else tokens.push({ kind: /[=<>]/.test(c) ? 'op' : 'other', text: c, at: i++ });
  }
  return tokens;
}

function checkBrackets(tokens: Token[]): void {
  const open: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'open') open.push(t);
    if (t.kind !== 'close') continue;
    const last = open.pop();
    if (last?.text !== PAIRS[t.text]) fail(t.at, `unexpected right ${NAMES[PAIRS[t.text] ?? '('] ?? 'bracket'} '${t.text}'`);
  }
  const unclosed = open.pop();
  if (unclosed) fail(unclosed.at, `unclosed left ${NAMES[unclosed.text] ?? 'bracket'}`);
}

/** `metric{label op "value", …}` — the matchers between the braces, unquoted. */
function readMatchers(tokens: Token[], from: number): { matchers: LabelMatcher[]; end: number } {
  const matchers: LabelMatcher[] = [];
  let i = from + 1;
  while (tokens[i]?.kind !== 'close') {
    const [label, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (label?.kind !== 'word') fail(label?.at ?? 0, `unexpected ${label?.text ?? 'end of input'} in label matching, expected label`);
    if (op?.kind !== 'op' || !['=', '!=', '=~', '!~'].includes(op.text)) fail(op?.at ?? label.at, `unexpected ${op?.text ?? 'end of input'} in label matching, expected label matching operator`);
    if (value?.kind !== 'string') fail(value?.at ?? op.at, `unexpected ${value?.text ?? 'end of input'} in label matching, expected string`);
    matchers.push({ label: label.text, op: op.text as LabelMatcher['op'], value: value.text });
    i += 3;
    if (tokens[i]?.kind === 'comma') i += 1;
    else if (tokens[i]?.kind !== 'close') fail(tokens[i]?.at ?? 0, `unexpected ${tokens[i]?.text ?? 'end of input'} in label matching, expected "," or "}"`);
  }
  return { matchers, end: i };
}

export function readPromql(query: string): ReadPromql {
  try {
    if (query.trim() === '') fail(0, 'no expression found in input');
    const tokens = tokenize(query);
    checkBrackets(tokens);
    const selectors: Selector[] = [];
    const ranges: string[] = [];
    for (let i = 0; i < tokens.length; i += 1) {
      const t = tokens[i] as Token;
      if (t.kind === 'open' && t.text === '{') {
        const before = tokens[i - 1];
        const metric = before?.kind === 'word' && before.at + before.text.length === t.at ? before.text : '';
        const { matchers, end } = readMatchers(tokens, i);
        selectors.push({ metric, matchers });
        i = end;
      } else if (t.kind === 'open' && t.text === '[' && tokens[i + 1]?.kind === 'word' && tokens[i + 2]?.text === ']') {
        ranges.push((tokens[i + 1] as Token).text);
      } else if (t.kind === 'string' && tokens[i - 1]?.kind !== 'open' && tokens[i - 1]?.kind !== 'comma') {
        // Outside a matcher list a string can only be a literal argument; two in a row is what injection produces.
        if (tokens[i - 1]?.kind === 'string' || tokens[i - 1]?.kind === 'word') fail(t.at, `unexpected string "${t.text}"`);
      }
    }
    return { ok: true, selectors, ranges };
  } catch (error) {
    if (error instanceof PromqlSyntaxError) return { ok: false, error: error.message };
    throw error;
  }
}
