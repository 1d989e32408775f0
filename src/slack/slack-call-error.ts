import { ErrorCode, type WebAPICallError } from '@slack/web-api';
import { UpstreamError } from '../errors.js';

/**
 * Slack error codes that no retry will fix: the token, the channel or the bot's
 * membership is wrong until a person changes it. Everything else (5xx, timeouts,
 * rate limits) is transient.
 */
export const PERMANENT_SLACK_ERRORS = [
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'invalid_blocks',
  'msg_too_long',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
] as const;

const HINTS: Record<string, string> = {
  invalid_auth: 'SLACK_BOT_TOKEN is not valid',
  not_authed: 'no Slack token was sent',
  token_revoked: 'SLACK_BOT_TOKEN was revoked',
  missing_scope: 'the Slack app lacks a scope (chat:write, reactions:read, channels:history)',
  channel_not_found: 'the channel does not exist or the bot cannot see it',
  not_in_channel: 'invite the bot to the channel (/invite @k8flex)',
  is_archived: 'the channel is archived',
};

/** One failed Slack call, as data the deliver stage can record and reason about. */
export class SlackCallError extends UpstreamError {
  constructor(
    readonly method: string,
    /** Slack's error code (`channel_not_found`), or `rate_limited`, `http_<status>`, `request_failed`. */
    readonly code: string,
    readonly permanent: boolean,
    /** Set for `rate_limited`: how long Slack asked us to wait. */
    readonly retryAfterMs: number | null,
    options?: ErrorOptions,
  ) {
    super(`Slack ${method} failed: ${code}${HINTS[code] ? ` (${HINTS[code]})` : ''}`, options);
  }
}

export function toSlackCallError(method: string, error: unknown): SlackCallError {
  if (error instanceof SlackCallError) return error;
  const e = error as Partial<WebAPICallError> | undefined;
  switch (e?.code) {
    case ErrorCode.PlatformError: {
      const code = String((e as { data?: { error?: unknown } }).data?.error ?? 'unknown_error');
      return new SlackCallError(method, code, (PERMANENT_SLACK_ERRORS as readonly string[]).includes(code), null, { cause: error });
    }
    case ErrorCode.RateLimitedError:
      return new SlackCallError(method, 'rate_limited', false, ((e as { retryAfter?: number }).retryAfter ?? 1) * 1000, { cause: error });
    case ErrorCode.HTTPError:
      return new SlackCallError(method, `http_${(e as { statusCode?: number }).statusCode ?? 0}`, false, null, { cause: error });
    default:
      return new SlackCallError(method, 'request_failed', false, null, { cause: error });
  }
}
