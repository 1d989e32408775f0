import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack rejects replays older than five minutes; so do we. */
export const SLACK_SIGNATURE_MAX_AGE_MS = 5 * 60_000;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Verifies a Slack request signature (https://api.slack.com/authentication/verifying-requests-from-slack),
 * pure: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing
 * secret, a timestamp within five minutes of `nowMs`, compared in constant time.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer | string;
  nowMs: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(input.nowMs - Number(timestamp) * 1000) > SLACK_SIGNATURE_MAX_AGE_MS) return { ok: false, reason: 'stale timestamp' };
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}
