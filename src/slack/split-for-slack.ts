/**
 * Splits mrkdwn into pieces of at most `maxChars`, at line boundaries where it can
 * (preferring a blank line in the second half of a piece), hard-wrapping only lines
 * longer than a piece. A code fence cut by a split is closed at the end of one piece
 * and reopened at the start of the next, so each piece renders on its own.
 */
export function splitForSlack(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return text.length > 0 ? [text] : [];
  const fenceCost = 8; // "\n```" closing one piece and "```\n" opening the next
  const limit = Math.max(16, maxChars - fenceCost);
  const lines = text.split('\n').flatMap((line) => hardWrap(line, limit));
  const pieces: string[] = [];
  let current: string[] = [];
  let length = 0;
  let fenceAtStart = false;

  const emit = (upTo: number): void => {
    const taken = current.slice(0, upTo);
    const rest = current.slice(upTo);
    const fenceBefore = fenceAtStart;
    let open = fenceBefore;
    for (const l of taken) if (l.startsWith('```')) open = !open;
    let body = taken.join('\n');
    if (fenceBefore) body = '```\n' + body;
    if (open) body += '\n```';
    if (body.trim().length > 0) pieces.push(body);
    fenceAtStart = open;
    current = rest;
    length = rest.reduce((n, l) => n + l.length + 1, 0);
  };

  for (const line of lines) {
    if (length + line.length + 1 > limit && current.length > 0) {
      const blank = current.lastIndexOf('');
      emit(blank > current.length / 2 ? blank + 1 : current.length);
      if (length + line.length + 1 > limit && current.length > 0) emit(current.length);
    }
    current.push(line);
    length += line.length + 1;
  }
  if (current.length > 0) emit(current.length);
  return pieces;
}

/** Cuts a line longer than `limit` at a space where one is near, not inside `&amp;` or `<url|label>`. */
function hardWrap(line: string, limit: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(' ', limit);
    if (cut < limit * 0.6) cut = limit;
    const amp = rest.lastIndexOf('&', cut);
    if (amp > cut - 6 && amp > 0 && rest.indexOf(';', amp) >= cut) cut = amp;
    const link = rest.lastIndexOf('<', cut);
    if (link > 0 && rest.lastIndexOf('>', cut) < link && link > limit * 0.3) cut = link;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
  }
  out.push(rest);
  return out;
}
