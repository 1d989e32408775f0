import { slackTsToMs, type SlackThread, type SlackThreadStore } from './slack-thread-store.js';

type Row = { thread: SlackThread | null; intent: string | null; groupKey: string | null; error: string | null };

/**
 * The SlackThreadStore in memory, for tests and for running without a database.
 * `setGroupKey` stands in for the incidents row that the database would already hold.
 */
export function makeMemorySlackThreadStore(): SlackThreadStore & {
  setGroupKey(incidentId: string, groupKey: string): void;
  errorOf(incidentId: string): string | null;
} {
  const rows = new Map<string, Row>();
  const row = (id: string): Row => {
    let r = rows.get(id);
    if (!r) {
      r = { thread: null, intent: null, groupKey: null, error: null };
      rows.set(id, r);
    }
    return r;
  };
  return {
    async get(incidentId) {
      const t = rows.get(incidentId)?.thread;
      return t ? { ...t } : null;
    },
    async saveParent(incidentId, channel, parentTs) {
      const r = row(incidentId);
      r.thread = { incidentId, channel, parentTs, replyTs: null, permalink: null };
      r.error = null;
    },
    async saveIntent(incidentId, channel) {
      const r = row(incidentId);
      if (!r.thread) r.intent = channel;
    },
    async getIntent(incidentId) {
      const r = rows.get(incidentId);
      return r && !r.thread ? r.intent : null;
    },
    async saveReply(incidentId, replyTs, permalink) {
      const t = row(incidentId).thread;
      if (t) Object.assign(t, { replyTs, permalink });
    },
    async saveError(incidentId, message) {
      row(incidentId).error = message;
    },
    async findRecentThread(groupKey, sinceMs, excludeIncidentId) {
      let best: SlackThread | null = null;
      for (const [id, r] of rows) {
        if (id === excludeIncidentId || r.groupKey !== groupKey || !r.thread) continue;
        if (slackTsToMs(r.thread.parentTs) < sinceMs) continue;
        if (!best || Number(r.thread.parentTs) > Number(best.parentTs)) best = r.thread;
      }
      return best ? { ...best } : null;
    },
    setGroupKey(incidentId, groupKey) {
      row(incidentId).groupKey = groupKey;
    },
    errorOf(incidentId) {
      return rows.get(incidentId)?.error ?? null;
    },
  };
}
