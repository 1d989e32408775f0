import type { Logger } from '../observability/logger.js';
import type { Deliver } from './stages.js';

/** Delivery when Slack is not configured: the analysis goes to the log (and the API/dashboard). */
export function makeLogDeliver(logger: Logger): Deliver {
  return async ({ subject, stream }) => {
    let text = '';
    for await (const chunk of stream.chunks) text += chunk;
    logger.info({ component: 'deliver', incidentId: subject.incidentId, analysis: text }, 'analysis written');
    return { channel: null, parentTs: null, replyTs: null, permalink: null, error: null };
  };
}
