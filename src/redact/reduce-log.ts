/**
 * Shrinks a container log for a prompt without losing what diagnoses a crash:
 * 1. consecutive lines that differ only in timestamps and numbers collapse into one
 *    line plus a count;
 * 2. over `maxBytes`, the last lines before the crash are kept (half the budget), then
 *    error, exception and stack-trace lines from earlier, in order; gaps are marked.
 */
export type ReducedLog = { text: string; truncated: boolean; collapsed: number };

const IMPORTANT =
  /\b(?:error|err|exception|fatal|panic|fail(?:ed|ure)?|traceback|caused by|oom|killed|refused|denied|timeout|timed out|unable|cannot|can't|segmentation|sigsegv|sigkill|exit(?:ed)? (?:code|status))\b|^\s+at\s|^\s+File ".+", line \d+|^goroutine \d+|^\s*\.\.\. \d+ more|^\S+(?:Error|Exception)\b/i;

const MAX_LINE_CHARS = 2000;

function shape(line: string): string {
  return line
    .replace(/\d{4}-\d{2}-\d{2}[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?/g, '<ts>')
    .replace(/0x[0-9a-f]+/gi, '<hex>')
    .replace(/\d+/g, '<n>');
}

function bytes(line: string): number {
  return Buffer.byteLength(line) + 1;
}

function collapse(lines: string[]): { lines: string[]; collapsed: number } {
  const out: string[] = [];
  let collapsed = 0;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const key = shape(line);
    let j = i + 1;
    while (j < lines.length && shape(lines[j] ?? '') === key) j += 1;
    const repeats = j - i - 1;
    if (repeats > 0) {
      // Keep the last occurrence: its timestamp is the one closest to the crash.
      out.push(`${lines[j - 1] ?? ''}  [×${repeats + 1} similar lines]`);
      collapsed += repeats;
    } else out.push(line);
    i = j;
  }
  return { lines: out, collapsed };
}

export function reduceLog(text: string, opts: { maxBytes: number }): ReducedLog {
  const raw = text.split('\n');
  if (raw.at(-1) === '') raw.pop();
  let truncated = false;
  const clipped = raw.map((line) => {
    if (line.length <= MAX_LINE_CHARS) return line;
    truncated = true;
    return `${line.slice(0, MAX_LINE_CHARS)}… [line cut at ${MAX_LINE_CHARS} chars]`;
  });
  const { lines, collapsed } = collapse(clipped);
  const total = lines.reduce((sum, l) => sum + bytes(l), 0);
  if (total <= opts.maxBytes) return { text: lines.join('\n'), truncated, collapsed };

  const keep = new Set<number>();
  let used = 0;
  const tailBudget = Math.floor(opts.maxBytes / 2);
  let start = lines.length;
  while (start > 0 && used + bytes(lines[start - 1] ?? '') <= tailBudget) {
    start -= 1;
    used += bytes(lines[start] ?? '');
    keep.add(start);
  }
  const markerReserve = 64;
  for (let i = 0; i < start; i += 1) {
    const line = lines[i] ?? '';
    if (!IMPORTANT.test(line)) continue;
    if (used + bytes(line) + markerReserve > opts.maxBytes) break;
    used += bytes(line);
    keep.add(i);
  }

  const out: string[] = [];
  let gap = 0;
  for (let i = 0; i < lines.length; i += 1) {
    if (keep.has(i)) {
      if (gap > 0) out.push(`… [${gap} lines omitted]`);
      gap = 0;
      out.push(lines[i] ?? '');
    } else gap += 1;
  }
  if (gap > 0) out.push(`… [${gap} lines omitted]`);
  let result = out.join('\n');
  // A single line longer than the whole budget still has to fit.
  if (Buffer.byteLength(result) > opts.maxBytes) result = Buffer.from(result).subarray(Buffer.byteLength(result) - opts.maxBytes).toString('utf8');
  return { text: result, truncated: true, collapsed };
}
