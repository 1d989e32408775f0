import express, { type Router } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import type { FeedbackService } from '../feedback/make-feedback.js';
import { verifySlackSignature } from '../feedback/verify-slack-signature.js';
import type { Logger } from '../observability/logger.js';

const eventSchema = z.looseObject({
  type: z.string(),
  user: z.string().optional(),
  reaction: z.string().optional(),
  item: z.looseObject({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }).optional(),
  channel: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
  text: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
});
const envelopeSchema = z.union([
  z.looseObject({ type: z.literal('url_verification'), challenge: z.string() }),
  z.looseObject({ type: z.literal('event_callback'), event_id: z.string(), event: eventSchema }),
]);

/**
 * POST /slack/events — the Slack Events API door to the feedback loop: URL
 * verification, reaction_added / reaction_removed and thread messages. The raw body
 * is kept for the signature; a wrong or stale signature is 401; retries of an event
 * already handled (same event_id) are acknowledged and ignored.
 */
export function makeSlackEventsRouter(deps: {
  pool: pg.Pool;
  signingSecret: string;
  feedback: FeedbackService;
  logger: Logger;
  clock?: () => number;
}): Router {
  const clock = deps.clock ?? Date.now;
  const log = deps.logger.child({ component: 'slack-events' });
  const router = express.Router();
  router.post('/slack/events', express.raw({ type: '*/*', limit: '1mb' }), async (req, res, next) => {
    try {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const check = verifySlackSignature({
        signingSecret: deps.signingSecret,
        timestamp: req.get('x-slack-request-timestamp'),
        signature: req.get('x-slack-signature'),
        rawBody: raw,
        nowMs: clock(),
      });
      if (!check.ok) {
        log.warn({ reason: check.reason }, 'Slack event rejected');
        return void res.status(401).json({ error: `invalid Slack signature: ${check.reason}` });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return void res.status(400).json({ error: 'body is not JSON' });
      }
      const parsed = envelopeSchema.safeParse(body);
      if (!parsed.success) return void res.status(200).json({ ok: true, ignored: true });
      const envelope = parsed.data;
      if (envelope.type === 'url_verification') return void res.json({ challenge: envelope.challenge });

      const fresh = await deps.pool.query('INSERT INTO slack_events_seen (event_id) VALUES ($1) ON CONFLICT DO NOTHING', [envelope.event_id]);
      if ((fresh.rowCount ?? 0) === 0) return void res.json({ ok: true, duplicate: true });

      const e = envelope.event;
      const now = new Date(clock());
      if ((e.type === 'reaction_added' || e.type === 'reaction_removed') && e.user && e.reaction && e.item?.channel && e.item.ts) {
        await deps.feedback.onReaction({ channel: e.item.channel, ts: e.item.ts, user: e.user, reaction: e.reaction, added: e.type === 'reaction_added' }, now);
      } else if (e.type === 'message' && !e.subtype && e.channel && e.thread_ts && e.ts) {
        await deps.feedback.onMessage({ channel: e.channel, threadTs: e.thread_ts, ts: e.ts, user: e.user ?? null, botId: e.bot_id ?? null, text: e.text ?? '' }, now);
      }
      res.json({ ok: true });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
