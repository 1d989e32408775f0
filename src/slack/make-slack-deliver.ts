import type { IncidentSubject } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';
import type { Deliver, DeliverInput, DeliveryResult } from '../pipeline/stages.js';
import { escapeMrkdwn } from './escape-mrkdwn.js';
import { findPostedParent, isChannelId, parentMetadata } from './find-posted-parent.js';
import { formatAnalysisMessage } from './format-analysis-message.js';
import { formatDuration } from './format-duration.js';
import { formatParentMessage, type ParentStatus } from './format-parent-message.js';
import { incidentUrl } from './incident-url.js';
import { makeMemoryRateBudgets, type RateBudget, type RateBudgets } from './make-rate-budget.js';
import { postWebhookMessage } from './post-webhook-message.js';
import { routeSlackChannel, TEAM_ANNOTATION } from './route-slack-channel.js';
import type { SlackCallError } from './slack-call-error.js';
import type { SlackClient } from './slack-client.js';
import { SLACK_LIMITS } from './slack-limits.js';
import type { SlackMessage } from './slack-message.js';
import type { SlackThread, SlackThreadStore } from './slack-thread-store.js';
import { sendWithRetries, type SendContext } from './send-with-retries.js';
import { streamIntoReply } from './stream-into-reply.js';

export type SlackDeliverConfig = {
  /** `SLACK_DEFAULT_CHANNEL` */
  defaultChannel: string | null;
  /** `SLACK_UPDATE_INTERVAL_MS`: at most one streaming update per message per interval. */
  updateIntervalMs: number;
  /** `SLACK_UPDATES_PER_MINUTE`: chat.update budget for the whole workspace. */
  updatesPerMinute: number;
  /** `SLACK_POSTS_PER_MINUTE`: chat.postMessage budget per channel (default DEFAULT_POSTS_PER_MINUTE). */
  postsPerMinute?: number;
  /** `PUBLIC_URL`, for links to the dashboard. */
  publicUrl: string | null;
  /** `SLACK_THREAD_REUSE_HOURS`: a repeat within this many hours of a thread's start goes into it. */
  threadReuseHours: number;
  /** `SLACK_TIMEOUT_MS`, for the incoming webhook (the client has its own). */
  timeoutMs?: number;
};

export type SlackDeliverDeps = {
  client: SlackClient | null;
  webhookUrl?: string | null;
  store: SlackThreadStore;
  /** Cached reader of a namespace's annotations; failures fall through to the next routing rule. */
  namespaceAnnotations?: (namespace: string) => Promise<Record<string, string>>;
  config: SlackDeliverConfig;
  clock: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Makes the budget of each Slack limit: in the database when replicas share one
   * (`makePgRateBudgets`), in this process otherwise (the default).
   */
  budgets?: RateBudgets;
  /** The chat.update budget, shared by every delivery; made by `budgets` from `updatesPerMinute` if absent. */
  budget?: RateBudget;
  logger: Logger;
};

export type ResolvedNotice = { subject: IncidentSubject; resolvedAt: string };
export type RepeatNotice = { subject: IncidentSubject; firedAt: string };
export type NoticeResult = { posted: boolean; error: string | null };

/** The deliver stage, with the two thread notices the intake sends on later alerts. */
export type SlackDeliver = Deliver & {
  /** "Resolved after 14 min" in the thread, and the parent marked resolved. No thread → nothing. */
  notifyResolved(notice: ResolvedNotice): Promise<NoticeResult>;
  /** The same incident firing again: a note in its thread, the parent marked firing again. */
  noteRepeat(notice: RepeatNotice): Promise<NoticeResult>;
};

/**
 * Slack allows about one chat.postMessage per second per channel, with short bursts;
 * a sliding minute of 50 stays under that. Without it an alert storm's parents and
 * replies drew 429s and lost deliveries (bench/storm.bench.ts).
 */
export const DEFAULT_POSTS_PER_MINUTE = 50;

/** conversations.history is Tier 3 (about 50 a minute); only the rare recovery of a lost parent calls it. */
const HISTORY_PER_MINUTE = 40;

/** A parent is posted after its alert starts; the margin covers clock skew between cluster and Slack. */
const HISTORY_SKEW_MS = 10 * 60_000;

const NO_DELIVERY: DeliveryResult = { channel: null, parentTs: null, replyTs: null, permalink: null, error: null };

/**
 * Delivers analyses to Slack: with a bot token, one thread per incident (parent
 * message, then the analysis streamed into a reply); with only an incoming webhook,
 * one message per finished analysis; with neither, the stream is drained and logged.
 * Slack failures are returned as `DeliveryResult.error` and saved on the incident,
 * never thrown: the analysis is complete either way.
 */
export function makeSlackDeliver(deps: SlackDeliverDeps): SlackDeliver {
  const { client, store, config, clock } = deps;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const budgets = deps.budgets ?? makeMemoryRateBudgets(clock);
  const budget = deps.budget ?? budgets('chat.update', { perMinute: config.updatesPerMinute });
  const log = deps.logger.child({ component: 'slack' });
  const loggedCodes = new Set<string>();
  const posts: SendContext = { clock, sleep, budget: null, priority: 'final', attempts: 3 };
  // One post budget per channel, reachable by the name we routed to and the ID Slack answered with.
  const postBudgets = new Map<string, RateBudget>();
  const postsTo = (channel: string): SendContext => {
    let channelBudget = postBudgets.get(channel);
    if (!channelBudget) {
      channelBudget = budgets(`chat.postMessage:${channel}`, { perMinute: config.postsPerMinute ?? DEFAULT_POSTS_PER_MINUTE, reserve: 0 });
      postBudgets.set(channel, channelBudget);
    }
    return { ...posts, budget: channelBudget };
  };
  // Channel IDs Slack answered with, by the name we posted to: conversations.history takes only IDs.
  const channelIds = new Map<string, string>();
  const aliasChannel = (name: string, id: string): void => {
    channelIds.set(name, id);
    if (name === id || postBudgets.get(id) === postBudgets.get(name)) return;
    const shared = postBudgets.get(id) ?? postsTo(name).budget!;
    postBudgets.set(id, shared);
    postBudgets.set(name, shared);
  };
  const finals: SendContext = { clock, sleep, budget, priority: 'final', attempts: 4 };

  const annotationsOf = async (namespace: string | null): Promise<Record<string, string>> => {
    if (!namespace || !deps.namespaceAnnotations) return {};
    try {
      return await deps.namespaceAnnotations(namespace);
    } catch (err) {
      log.debug({ err, namespace }, 'namespace annotations unreadable; routing by label or default');
      return {};
    }
  };

  /** Saves and logs a failure once: config problems once per process, others once per incident. */
  const recordFailure = async (incidentId: string, error: SlackCallError | string): Promise<string> => {
    const message = typeof error === 'string' ? error : error.message;
    const code = typeof error === 'string' ? 'webhook' : error.code;
    const first = !loggedCodes.has(code) || !(typeof error !== 'string' && error.permanent);
    loggedCodes.add(code);
    if (first) log.warn({ incidentId, code, err: typeof error === 'string' ? undefined : error }, message);
    await store.saveError(incidentId, message).catch((err: unknown) => log.warn({ err, incidentId }, 'could not save the Slack error'));
    return message;
  };

  const parentFor = async (subject: IncidentSubject, status: ParentStatus): Promise<SlackMessage> => {
    const team = (await annotationsOf(subject.namespace))[TEAM_ANNOTATION]?.trim() || null;
    return formatParentMessage({ subject, team, incidentUrl: incidentUrl(config.publicUrl, subject.incidentId), status });
  };

  let historyBudget: RateBudget | null = null;
  /**
   * The parent an earlier attempt posted but did not save (killed between Slack's answer
   * and `saveParent`), found in the channel's history by its metadata. Only an intent
   * holding a channel ID can be searched: if it holds a name whose ID this process has
   * not learned yet (the first parent to that name since start), a second parent may follow.
   */
  const adoptLostParent = async (subject: IncidentSubject, slack: SlackClient): Promise<SlackThread | null> => {
    const intent = await store.getIntent(subject.incidentId);
    if (!intent) return null;
    const channel = isChannelId(intent) ? intent : (channelIds.get(intent) ?? null);
    if (!channel) {
      log.warn({ incidentId: subject.incidentId, channel: intent }, 'an earlier attempt may have posted a parent to a channel whose ID is unknown; posting one');
      return null;
    }
    historyBudget ??= budgets('conversations.history', { perMinute: HISTORY_PER_MINUTE, reserve: 0 });
    const startedMs = Date.parse(subject.startsAt);
    const found = await findPostedParent({
      client: slack, channel, incidentId: subject.incidentId,
      oldestMs: (Number.isNaN(startedMs) ? clock() - 86_400_000 : startedMs) - HISTORY_SKEW_MS,
      ctx: { ...posts, budget: historyBudget },
    });
    if (!found.ok) {
      log.warn({ incidentId: subject.incidentId, channel, code: found.error.code }, 'could not search the channel for a lost parent; posting one');
      return null;
    }
    if (!found.ts) return null;
    await store.saveParent(subject.incidentId, channel, found.ts);
    log.info({ incidentId: subject.incidentId, channel }, 'adopted the parent an interrupted attempt posted');
    return { incidentId: subject.incidentId, channel, parentTs: found.ts, replyTs: null, permalink: null };
  };

  /** The incident's thread: its own (a retried job), a recent one of the same group, or a new parent. */
  const openThread = async (subject: IncidentSubject): Promise<SlackThread | SlackCallError | string> => {
    const own = await store.get(subject.incidentId);
    if (own) return own;
    if (!client) return 'no Slack client';
    const lost = await adoptLostParent(subject, client);
    if (lost) return lost;
    if (subject.groupKey && config.threadReuseHours > 0) {
      const since = clock() - config.threadReuseHours * 3_600_000;
      const recent = await store.findRecentThread(subject.groupKey, since, subject.incidentId);
      if (recent) {
        const note = { text: `🔁 ${escapeMrkdwn(subject.alertname)} is firing again — a new analysis follows.`, blocks: [] };
        const posted = await sendWithRetries('chat.postMessage', () => client.postMessage({ channel: recent.channel, threadTs: recent.parentTs, message: note }), postsTo(recent.channel));
        if (posted.ok) {
          await store.saveParent(subject.incidentId, recent.channel, recent.parentTs);
          const parent = await parentFor(subject, { state: 'firing-again', at: subject.startsAt });
          await sendWithRetries('chat.update', () => client.update({ channel: recent.channel, ts: recent.parentTs, message: parent }), finals);
          return { incidentId: subject.incidentId, channel: recent.channel, parentTs: recent.parentTs, replyTs: null, permalink: null };
        }
        log.info({ incidentId: subject.incidentId, code: posted.error.code }, 'recent thread unusable; starting a new one');
      }
    }
    const annotations = await annotationsOf(subject.namespace);
    const route = routeSlackChannel({ namespaceAnnotations: annotations, labels: subject.labels, defaultChannel: config.defaultChannel });
    if (!route) return 'no Slack channel: set SLACK_DEFAULT_CHANNEL, the namespace annotation k8flex/slack-channel or the alert label slack_channel';
    const message = await parentFor(subject, { state: 'firing' });
    await store.saveIntent(subject.incidentId, isChannelId(route.channel) ? route.channel : (channelIds.get(route.channel) ?? route.channel));
    const metadata = parentMetadata(subject.incidentId);
    const posted = await sendWithRetries('chat.postMessage', () => client.postMessage({ channel: route.channel, message, metadata }), postsTo(route.channel));
    if (!posted.ok) return posted.error;
    aliasChannel(route.channel, posted.value.channel);
    await store.saveParent(subject.incidentId, posted.value.channel, posted.value.ts);
    log.info({ incidentId: subject.incidentId, channel: posted.value.channel, routedBy: route.source }, 'Slack thread started');
    return { incidentId: subject.incidentId, channel: posted.value.channel, parentTs: posted.value.ts, replyTs: null, permalink: null };
  };

  const drain = async (input: DeliverInput): Promise<string> => {
    let text = '';
    for await (const chunk of input.stream.chunks) text += chunk;
    await input.stream.done;
    return text;
  };

  const deliverToThread = async (input: DeliverInput, slack: SlackClient): Promise<DeliveryResult> => {
    const { subject } = input;
    const thread = await openThread(subject);
    if (typeof thread === 'string' || !('parentTs' in thread)) {
      await drain(input);
      return { ...NO_DELIVERY, error: await recordFailure(subject.incidentId, thread) };
    }
    const url = incidentUrl(config.publicUrl, subject.incidentId);
    const render = (markdown: string): SlackMessage => formatAnalysisMessage({ markdown, analysis: null, similar: [], incidentUrl: url });
    const base = { channel: thread.channel, parentTs: thread.parentTs };

    let { replyTs, permalink } = thread;
    if (!replyTs) {
      const posted = await sendWithRetries('chat.postMessage', () => slack.postMessage({ channel: thread.channel, threadTs: thread.parentTs, message: render('') }), postsTo(thread.channel));
      if (!posted.ok) {
        await drain(input);
        return { ...NO_DELIVERY, ...base, error: await recordFailure(subject.incidentId, posted.error) };
      }
      replyTs = posted.value.ts;
      const link = await sendWithRetries('chat.getPermalink', () => slack.getPermalink({ channel: thread.channel, ts: posted.value.ts }), { ...posts, attempts: 1 });
      permalink = link.ok ? link.value : null;
      await store.saveReply(subject.incidentId, replyTs, permalink);
    }
    const ts = replyTs;

    const streamed = await streamIntoReply({
      client: slack, budget, clock, logger: log, channel: thread.channel, ts, chunks: input.stream.chunks,
      intervalMs: config.updateIntervalMs, lastSentAt: clock(), render,
    });
    const analysis = await input.stream.done;
    const final = formatAnalysisMessage({ markdown: analysis.text || streamed.markdown, analysis, similar: input.similar, incidentUrl: url });
    const sent = await sendWithRetries('chat.update', () => slack.update({ channel: thread.channel, ts, message: final }), finals);
    log.debug({ incidentId: subject.incidentId, updates: streamed.updates, skipped: streamed.skipped }, 'analysis delivered to Slack');
    const error = sent.ok ? null : await recordFailure(subject.incidentId, sent.error);
    return { ...base, replyTs: ts, permalink, error };
  };

  const deliverToWebhook = async (input: DeliverInput, url: string): Promise<DeliveryResult> => {
    await drain(input);
    const analysis = await input.stream.done;
    const parent = await parentFor(input.subject, { state: 'firing' });
    const body = formatAnalysisMessage({
      markdown: analysis.text, analysis, similar: input.similar, incidentUrl: incidentUrl(config.publicUrl, input.subject.incidentId),
      limits: { ...SLACK_LIMITS, maxBlocks: SLACK_LIMITS.maxBlocks - parent.blocks.length - 1 },
    });
    const message = { text: parent.text, blocks: [...parent.blocks, { type: 'divider' as const }, ...body.blocks] };
    const outcome = await postWebhookMessage(url, message, { timeoutMs: config.timeoutMs ?? 10_000, sleep });
    return { ...NO_DELIVERY, error: outcome.ok ? null : await recordFailure(input.subject.incidentId, outcome.error) };
  };

  const deliver: Deliver = async (input) => {
    if (input.notify && client) return deliverToThread(input, client);
    if (input.notify && deps.webhookUrl) return deliverToWebhook(input, deps.webhookUrl);
    const text = await drain(input);
    log.info({ incidentId: input.subject.incidentId, chars: text.length }, 'analysis complete (not sent to Slack)');
    return NO_DELIVERY;
  };

  const notice = async (subject: IncidentSubject, text: string, status: ParentStatus): Promise<NoticeResult> => {
    const thread = client ? await store.get(subject.incidentId) : null;
    if (!client || !thread) return { posted: false, error: null };
    const reply = await sendWithRetries('chat.postMessage', () => client.postMessage({ channel: thread.channel, threadTs: thread.parentTs, message: { text, blocks: [] } }), postsTo(thread.channel));
    if (!reply.ok) return { posted: false, error: await recordFailure(subject.incidentId, reply.error) };
    const parent = await parentFor(subject, status);
    const updated = await sendWithRetries('chat.update', () => client.update({ channel: thread.channel, ts: thread.parentTs, message: parent }), finals);
    return { posted: true, error: updated.ok ? null : await recordFailure(subject.incidentId, updated.error) };
  };

  return Object.assign(deliver, {
    notifyResolved: ({ subject, resolvedAt }: ResolvedNotice) => {
      const durationMs = Date.parse(resolvedAt) - Date.parse(subject.startsAt);
      return notice(subject, `✅ Resolved after ${formatDuration(durationMs)}`, { state: 'resolved', durationMs });
    },
    noteRepeat: ({ subject, firedAt }: RepeatNotice) =>
      notice(subject, `🔁 Firing again since ${escapeMrkdwn(firedAt)}`, { state: 'firing-again', at: firedAt }),
  });
}
