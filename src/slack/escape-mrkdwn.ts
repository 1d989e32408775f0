/**
 * Escapes text for Slack mrkdwn. Slack treats only `&`, `<` and `>` as control
 * characters; escaping them turns `<!channel>` or `<@U123>` in an alert label into
 * inert text, so nothing a cluster or an alert author writes can ping people.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A link in mrkdwn (`<url|label>`), or the escaped label alone when the URL is not
 * http(s). `|` and `>` would end the link early, so they are percent-encoded in the URL.
 */
export function mrkdwnLink(url: string | null | undefined, label: string): string {
  const safeLabel = escapeMrkdwn(label).replace(/\|/g, '¦');
  if (!url || !/^https?:\/\//i.test(url)) return safeLabel;
  const safeUrl = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C').replace(/\s/g, '%20');
  return `<${safeUrl}|${safeLabel}>`;
}
