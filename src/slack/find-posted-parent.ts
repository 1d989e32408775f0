import type { SlackCallError } from './slack-call-error.js';
import type { SlackClient, SlackMetadata } from './slack-client.js';
import { sendWithRetries, type SendContext } from './send-with-retries.js';

/** The metadata event type on every parent message; its payload names the incident. */
export const PARENT_EVENT_TYPE = 'k8flex_incident';

export function parentMetadata(incidentId: string): SlackMetadata {
  return { eventType: PARENT_EVENT_TYPE, payload: { incident_id: incidentId } };
}

/** conversations.history needs a channel ID (C…, G… or D…); chat.postMessage also takes a name. */
export function isChannelId(channel: string): boolean {
  return /^[CGD][A-Z0-9]{2,}$/.test(channel);
}

/**
 * History is newest first and a lost parent is minutes old, so the first page of 200
 * nearly always holds it; three pages bound the Tier 3 calls one recovery may spend.
 */
const PAGE_SIZE = 200;
const MAX_PAGES = 3;

export type FindPostedParentArgs = {
  client: SlackClient;
  /** A channel ID. */
  channel: string;
  incidentId: string;
  /** Epoch ms before which the parent cannot have been posted. */
  oldestMs: number;
  ctx: SendContext;
};

/** The ts of the incident's parent already in the channel (found by its metadata), null if none. */
export async function findPostedParent(args: FindPostedParentArgs): Promise<{ ok: true; ts: string | null } | { ok: false; error: SlackCallError }> {
  const oldest = (Math.max(0, args.oldestMs) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const from = cursor;
    const read = await sendWithRetries(
      'conversations.history',
      () => args.client.getHistory({ channel: args.channel, oldest, limit: PAGE_SIZE, ...(from ? { cursor: from } : {}) }),
      args.ctx,
    );
    if (!read.ok) return read;
    const parent = read.value.messages.find(
      (m) => m.metadata?.eventType === PARENT_EVENT_TYPE && m.metadata.payload.incident_id === args.incidentId,
    );
    if (parent) return { ok: true, ts: parent.ts };
    if (!read.value.nextCursor) break;
    cursor = read.value.nextCursor;
  }
  return { ok: true, ts: null };
}
