import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { SlackClient, SlackMetadata } from './slack-client.js';
import { toSlackCallError } from './slack-call-error.js';

export type SlackClientOptions = {
  token: string;
  /** `SLACK_API_URL`; Slack's own by default. */
  apiUrl?: string;
  /** Per HTTP attempt (`SLACK_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Retries of a failed request (network error, 5xx); 2 by default. */
  retries?: number;
  /** First retry delay; later ones double, capped at 8× this. */
  minRetryDelayMs?: number;
};

/**
 * The SlackClient over `@slack/web-api`. The SDK's defaults (ten retries over about
 * 30 minutes, no timeout, a queue that pauses every call on one 429) would let one
 * Slack outage hang a job and stall every incident; here a call is bounded to
 * `timeoutMs × (retries + 1)` plus a few seconds of backoff, and 429s reject at once.
 */
export function makeSlackClient(options: SlackClientOptions): SlackClient {
  const minTimeout = options.minRetryDelayMs ?? 500;
  const webOptions: WebClientOptions = {
    timeout: options.timeoutMs,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout, maxTimeout: minTimeout * 8, randomize: true },
    // Our logger is used at the edge; the SDK's own would print to stdout.
    logger: { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error' as never, setName() {} },
  };
  if (options.apiUrl) webOptions.slackApiUrl = options.apiUrl;
  const web = new WebClient(options.token, webOptions);

  const call = async <T>(method: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toSlackCallError(method, error);
    }
  };

  return {
    postMessage: ({ channel, message, threadTs, metadata }) =>
      call('chat.postMessage', async () => {
        const res = await web.chat.postMessage({
          channel,
          text: message.text,
          ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(metadata ? { metadata: { event_type: metadata.eventType, event_payload: metadata.payload } } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        return { channel: res.channel ?? channel, ts: String(res.ts) };
      }),
    update: ({ channel, ts, message }) =>
      call('chat.update', async () => {
        await web.chat.update({ channel, ts, text: message.text, ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}) });
      }),
    getPermalink: ({ channel, ts }) =>
      call('chat.getPermalink', async () => String((await web.chat.getPermalink({ channel, message_ts: ts })).permalink ?? '')),
    getReactions: ({ channel, ts }) =>
      call('reactions.get', async () => {
        const res = await web.reactions.get({ channel, timestamp: ts, full: true });
        return (res.message?.reactions ?? []).map((r) => ({ name: r.name ?? '', users: r.users ?? [], count: r.count ?? 0 }));
      }),
    getReplies: ({ channel, ts, oldest }) =>
      call('conversations.replies', async () => {
        const res = await web.conversations.replies({ channel, ts, ...(oldest ? { oldest } : {}), limit: 200 });
        return (res.messages ?? []).map((m) => ({
          ts: m.ts ?? '',
          user: m.user ?? null,
          botId: m.bot_id ?? null,
          text: m.text ?? '',
          threadTs: m.thread_ts ?? null,
        }));
      }),
    getHistory: ({ channel, oldest, limit, cursor }) =>
      call('conversations.history', async () => {
        const res = await web.conversations.history({ channel, oldest, limit, include_all_metadata: true, ...(cursor ? { cursor } : {}) });
        return {
          messages: (res.messages ?? []).map((m) => ({
            ts: m.ts ?? '',
            threadTs: m.thread_ts ?? null,
            metadata: m.metadata?.event_type ? { eventType: m.metadata.event_type, payload: (m.metadata.event_payload ?? {}) as SlackMetadata['payload'] } : null,
          })),
          nextCursor: res.has_more && res.response_metadata?.next_cursor ? res.response_metadata.next_cursor : null,
        };
      }),
    authTest: () =>
      call('auth.test', async () => {
        const res = await web.auth.test();
        return { teamId: res.team_id ?? null, userId: res.user_id ?? null, botId: res.bot_id ?? null, url: res.url ?? null };
      }),
  };
}
