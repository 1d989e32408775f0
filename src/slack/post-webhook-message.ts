import type { SlackMessage } from './slack-message.js';

export type WebhookOutcome = { ok: true } | { ok: false; error: string };

/**
 * Posts one message to a Slack incoming webhook (`SLACK_WEBHOOK_URL`): JSON
 * `{text, blocks}`, answered `200 ok` or an error text (`invalid_token`,
 * `channel_not_found`, `no_service`). 5xx and 429 are retried a bounded number of
 * times, honouring Retry-After; 4xx are permanent.
 */
export async function postWebhookMessage(
  url: string,
  message: SlackMessage,
  options: { timeoutMs: number; sleep: (ms: number) => Promise<void>; attempts?: number; fetch?: typeof fetch },
): Promise<WebhookOutcome> {
  const doFetch = options.fetch ?? fetch;
  const attempts = options.attempts ?? 3;
  let last = 'not attempted';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(message),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const body = (await res.text()).trim();
      if (res.ok) return { ok: true };
      last = `Slack webhook answered ${res.status}${body ? `: ${body.slice(0, 200)}` : ''}`;
      if (res.status !== 429 && res.status < 500) return { ok: false, error: last };
      const retryAfter = Number.parseInt(res.headers.get('retry-after') ?? '', 10);
      if (attempt < attempts) await options.sleep(Number.isFinite(retryAfter) ? Math.min(retryAfter, 60) * 1000 : 1000 * attempt);
    } catch (error) {
      last = `Slack webhook request failed: ${error instanceof Error ? error.message : String(error)}`;
      if (attempt < attempts) await options.sleep(1000 * attempt);
    }
  }
  return { ok: false, error: last };
}
