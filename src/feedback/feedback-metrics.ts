import { Counter } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';

export const feedbackTotal = new Counter({
  name: 'k8flex_feedback_total',
  help: 'Verdicts recorded from Slack reactions, by category and verdict (correct, incorrect, withdrawn).',
  labelNames: ['category', 'verdict'] as const,
  registers: [metricsRegistry],
});
