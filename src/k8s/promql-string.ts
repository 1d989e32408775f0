/**
 * A PromQL string literal for any value: double-quoted with Go escapes, so a label
 * value taken from an alert or an object name (quotes, backslashes, newlines) stays
 * one matcher value and cannot end the string and add matchers or operators.
 */
export function promqlString(value: string): string {
  const escaped = value.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);
  return `"${escaped}"`;
}
