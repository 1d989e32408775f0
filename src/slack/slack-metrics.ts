import { Counter } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';

export const slackCalls = new Counter({
  name: 'k8flex_slack_calls_total',
  help: 'Slack Web API calls by method and outcome (ok, rate_limited, error).',
  labelNames: ['method', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const slackUpdatesSkipped = new Counter({
  name: 'k8flex_slack_updates_skipped_total',
  help: 'Streaming chat.update calls not sent because the per-message interval or the workspace budget said wait; the next update carries the text.',
  registers: [metricsRegistry],
});
