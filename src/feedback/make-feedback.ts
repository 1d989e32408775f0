import type pg from 'pg';
import { withTransaction } from '../db/make-pool.js';
import type { KnowledgeBase } from '../kb/make-knowledge-base.js';
import type { Logger } from '../observability/logger.js';
import { makeMemoryRateBudgets, type RateBudgets } from '../slack/make-rate-budget.js';
import { SlackCallError } from '../slack/slack-call-error.js';
import type { SlackClient } from '../slack/slack-client.js';
import { feedbackTotal } from './feedback-metrics.js';
import { dueMessages, lockMessage, markChecked, messageByTs, openNewMessages, type FeedbackMessage } from './feedback-state.js';
import { pickCorrection } from './pick-correction.js';
import { heldFromReactions, verdictOfReaction, type HeldReactions } from './reaction-verdicts.js';
import { currentVerdict, heldAfterEvent, reconcileVerdicts, type UserVerdicts } from './reconcile-verdicts.js';

export type FeedbackSource = 'poll' | 'events';

export type FeedbackConfig = {
  windowHours: number;
  /** reactions.get calls per minute (Slack Tier 3 allows about 50). */
  reactionsPerMinute: number;
  /** conversations.replies calls per minute (also Tier 3). */
  repliesPerMinute?: number;
};

export type PollReport = { opened: number; checked: number; changed: number; rateLimited: boolean };

export type ReactionEvent = { channel: string; ts: string; user: string; reaction: string; added: boolean };
export type MessageEvent = { channel: string; threadTs: string; ts: string; user: string | null; botId: string | null; text: string };

/** The learning loop's feedback side: reactions and replies in, verdicts, corrections and cases out. */
export type FeedbackService = {
  /** One polling pass over open analyses, within the reactions.get budget. */
  poll(now: Date): Promise<PollReport>;
  onReaction(e: ReactionEvent, now: Date): Promise<void>;
  onMessage(e: MessageEvent, now: Date): Promise<void>;
};

export function makeFeedback(deps: {
  pool: pg.Pool;
  slack: SlackClient;
  kb: KnowledgeBase | null;
  config: FeedbackConfig;
  logger: Logger;
  clock?: () => number;
  /** In the database when replicas share one, so whichever replica polls sees the same window. */
  budgets?: RateBudgets;
}): FeedbackService {
  const { pool, slack, kb, config } = deps;
  const clock = deps.clock ?? Date.now;
  const log = deps.logger.child({ component: 'feedback' });
  // Every slot is "final" (reserve 0): polling has no optional calls to shed.
  const budgets = deps.budgets ?? makeMemoryRateBudgets(clock);
  const reactionsBudget = budgets('reactions.get', { perMinute: config.reactionsPerMinute, reserve: 0 });
  const repliesBudget = budgets('conversations.replies', { perMinute: config.repliesPerMinute ?? config.reactionsPerMinute, reserve: 0 });
  let botUsers: Set<string> | null = null;

  async function ignoredUsers(): Promise<Set<string>> {
    if (botUsers) return botUsers;
    try {
      const me = await slack.authTest();
      botUsers = new Set(me.userId ? [me.userId] : []);
    } catch (err) {
      log.debug({ err }, 'auth.test failed; bot reactions are not filtered this time');
      return new Set();
    }
    return botUsers;
  }

  /** Applies what people hold now to the stored verdicts, in one transaction, then acts on a change. */
  async function apply(incidentId: string, held: (previous: UserVerdicts) => Record<string, HeldReactions>, source: FeedbackSource, now: Date): Promise<void> {
    const outcome = await withTransaction(pool, async (client) => {
      const m = await lockMessage(client, incidentId);
      if (!m) return null;
      const { next, changes } = reconcileVerdicts(m.reactions, held(m.reactions), now.toISOString());
      await markChecked(client, incidentId, now);
      if (changes.length === 0) return null;
      for (const c of changes) {
        await client.query('INSERT INTO feedback (incident_id, verdict, reaction, user_name, source, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          incidentId, c.verdict, c.reaction, c.user, source, now.toISOString(),
        ]);
      }
      const cur = currentVerdict(next);
      await client.query('UPDATE feedback_state SET reactions = $2, verdict = $3, verdict_by = $4, verdict_at = $5 WHERE incident_id = $1', [
        incidentId, JSON.stringify(next), cur?.verdict ?? null, cur?.user ?? null, cur?.at ?? null,
      ]);
      return { m, cur, changes };
    });
    if (!outcome) return;
    const { m, cur, changes } = outcome;
    for (const c of changes) feedbackTotal.inc({ category: m.category ?? 'unknown', verdict: c.verdict });
    log.info({ incidentId, changes, verdict: cur?.verdict ?? null }, 'feedback recorded');

    if (kb) {
      try {
        if (!cur) await kb.forget(incidentId);
        else if (cur.verdict !== m.verdict || cur.user !== m.verdictBy) {
          await kb.recordVerdict({ incidentId, verdict: cur.verdict, by: cur.user, at: new Date(cur.at), correction: m.correction });
        }
      } catch (err) {
        log.warn({ err, incidentId }, 'could not update the knowledge base case');
      }
    }
    if (cur && !m.acknowledgedAt) await acknowledge(m, cur.verdict, cur.user, now);
  }

  async function acknowledge(m: FeedbackMessage, verdict: string, user: string, now: Date): Promise<void> {
    const text =
      verdict === 'correct'
        ? `🙏 Thanks <@${user}> — recorded as correct; similar alerts will be matched against this case.`
        : `🙏 Thanks <@${user}> — recorded as incorrect. Reply in this thread with the actual cause and it will be kept with the case.`;
    try {
      await slack.postMessage({ channel: m.channel, threadTs: m.threadTs ?? m.messageTs, message: { text, blocks: [] } });
      // Set only after a successful post; a failed one is retried on the next change of verdict.
      await pool.query('UPDATE feedback_state SET acknowledged_at = $2 WHERE incident_id = $1 AND acknowledged_at IS NULL', [m.incidentId, now.toISOString()]);
    } catch (err) {
      log.warn({ err, incidentId: m.incidentId }, 'could not acknowledge feedback in the thread');
    }
  }

  async function saveCorrection(incidentId: string, text: string, user: string, ts: string): Promise<void> {
    const updated = await pool.query(
      `UPDATE feedback_state SET correction = $2, correction_by = $3, correction_ts = $4
       WHERE incident_id = $1 AND correction_ts IS DISTINCT FROM $4`,
      [incidentId, text, user, ts],
    );
    if ((updated.rowCount ?? 0) === 0) return;
    await pool.query(
      `UPDATE feedback SET correction = $2 WHERE id = (SELECT id FROM feedback WHERE incident_id = $1 AND verdict = 'incorrect' ORDER BY created_at DESC, id DESC LIMIT 1)`,
      [incidentId, text],
    );
    await kb?.setCorrection(incidentId, text).catch((err: unknown) => log.warn({ err, incidentId }, 'could not store the correction with the case'));
    log.info({ incidentId, user }, 'correction recorded');
  }

  /** ❌ without a correction yet: read the thread (within the replies budget). */
  async function lookForCorrection(incidentId: string): Promise<void> {
    const r = await pool.query<{ verdict: string | null; correction: string | null; channel: string; message_ts: string; thread_ts: string | null }>(
      'SELECT verdict, correction, channel, message_ts, thread_ts FROM feedback_state WHERE incident_id = $1',
      [incidentId],
    );
    const s = r.rows[0];
    if (!s || s.verdict !== 'incorrect' || s.correction || !s.thread_ts) return;
    const { slot } = await repliesBudget.take('final');
    if (!slot) return;
    try {
      const replies = await slack.getReplies({ channel: s.channel, ts: s.thread_ts, oldest: s.message_ts });
      const found = pickCorrection(replies, s.message_ts);
      if (found) await saveCorrection(incidentId, found.text, found.user, found.ts);
    } catch (err) {
      if (err instanceof SlackCallError && err.retryAfterMs !== null) repliesBudget.pauseUntil(clock() + err.retryAfterMs);
      log.debug({ err, incidentId }, 'could not read the thread for a correction');
    } finally {
      slot.settled();
    }
  }

  return {
    async poll(now) {
      const opened = await openNewMessages(pool, now, config.windowHours);
      const report: PollReport = { opened, checked: 0, changed: 0, rateLimited: false };
      // At most a minute's budget; the loop stops at the first call the budget refuses.
      const due = await dueMessages(pool, now, config.reactionsPerMinute);
      let ignore: Set<string> | null = null;
      for (const m of due) {
        const { slot } = await reactionsBudget.take('final');
        if (!slot) break;
        ignore ??= await ignoredUsers();
        const ignored = ignore;
        let reactions;
        try {
          reactions = await slack.getReactions({ channel: m.channel, ts: m.messageTs });
        } catch (err) {
          if (err instanceof SlackCallError && err.retryAfterMs !== null) {
            reactionsBudget.pauseUntil(clock() + err.retryAfterMs);
            report.rateLimited = true;
            break;
          }
          // A deleted message or a lost channel must not starve the others: count it checked.
          log.debug({ err, incidentId: m.incidentId }, 'could not read reactions');
          await markChecked(pool, m.incidentId, now);
          continue;
        } finally {
          slot.settled();
        }
        report.checked += 1;
        const before = m.verdict;
        await apply(m.incidentId, () => heldFromReactions(reactions, ignored), 'poll', now);
        await lookForCorrection(m.incidentId);
        const after = (await pool.query<{ verdict: string | null }>('SELECT verdict FROM feedback_state WHERE incident_id = $1', [m.incidentId])).rows[0]?.verdict ?? null;
        if (after !== before) report.changed += 1;
      }
      return report;
    },

    async onReaction(e, now) {
      const verdict = verdictOfReaction(e.reaction);
      if (!verdict) return;
      await openNewMessages(pool, now, config.windowHours);
      const m = await messageByTs(pool, e.channel, e.ts);
      if (!m || m.messageTs !== e.ts) return;
      await apply(m.incidentId, (previous) => heldAfterEvent(previous, e.user, e.reaction, verdict, e.added), 'events', now);
    },

    async onMessage(e, now) {
      if (!e.user || e.botId) return;
      await openNewMessages(pool, now, config.windowHours);
      const m = await messageByTs(pool, e.channel, e.threadTs);
      if (!m || Number(e.ts) <= Number(m.messageTs)) return;
      const found = pickCorrection([{ ts: e.ts, user: e.user, botId: e.botId, text: e.text, threadTs: e.threadTs }], m.messageTs);
      // A reply counts once the analysis is marked ❌, or when it says "actual cause:" outright.
      if (found && (m.verdict === 'incorrect' || /actual\s+cause/i.test(e.text))) await saveCorrection(m.incidentId, found.text, found.user, found.ts);
    },
  };
}
