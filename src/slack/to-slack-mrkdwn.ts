import { escapeMrkdwn, mrkdwnLink } from './escape-mrkdwn.js';

/**
 * Converts the markdown an analysis is written in (LLM or offline) to Slack mrkdwn:
 * headings and `**bold**` become `*bold*`, `*italic*` becomes `_italic_`, bullets
 * become `•`, `[label](url)` becomes `<url|label>`. Everything is escaped first, since
 * analyses quote log lines and labels; fenced and inline code is escaped but left
 * unformatted. A fence still open at the end (a stream mid-way) is closed.
 */
export function toSlackMrkdwn(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      out.push('```');
      continue;
    }
    out.push(inFence ? escapeMrkdwn(line) : convertLine(line));
  }
  if (inFence) out.push('```');
  return out.join('\n');
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `*${convertInline(heading[1] ?? '').replace(/\*/g, '')}*`;
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) return '';
  const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
  if (quote) return `>${convertInline(quote[1] ?? '')}`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1] ?? ''}• ${convertInline(bullet[2] ?? '')}`;
  const numbered = /^(\s*)(\d+)[.)]\s+(.*)$/.exec(line);
  if (numbered) return `${numbered[1] ?? ''}${numbered[2]}. ${convertInline(numbered[3] ?? '')}`;
  return convertInline(line);
}

/** Placeholders that cannot occur in text, so converted markup is not converted twice. */
const BOLD = '\u0001';
const CODE = '\u0002';

function convertInline(text: string): string {
  const codes: string[] = [];
  let s = text.replace(/`([^`]+)`/g, (_m, code: string) => {
    codes.push(escapeMrkdwn(code));
    return `${CODE}${codes.length - 1}${CODE}`;
  });
  const links: string[] = [];
  s = s.replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, url: string) => {
    links.push(mrkdwnLink(url, label));
    return `${CODE}L${links.length - 1}${CODE}`;
  });
  s = escapeMrkdwn(s)
    .replace(/\*\*(?=\S)(.+?)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/__(?=\S)(.+?)__/g, `${BOLD}$1${BOLD}`)
    .replace(/(^|[^*\w])\*(?=\S)([^*\n]+?)\*(?![*\w])/g, '$1_$2_')
    .replace(/~~(?=\S)(.+?)~~/g, '~$1~')
    .replace(new RegExp(BOLD, 'g'), '*');
  return s
    .replace(new RegExp(`${CODE}L(\\d+)${CODE}`, 'g'), (_m, i: string) => links[Number(i)] ?? '')
    .replace(new RegExp(`${CODE}(\\d+)${CODE}`, 'g'), (_m, i: string) => `\`${codes[Number(i)] ?? ''}\``);
}
