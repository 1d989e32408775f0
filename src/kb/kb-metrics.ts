import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../observability/metrics.js';

export const kbCasesGauge = new Gauge({
  name: 'k8flex_kb_cases',
  help: 'Cases in the knowledge base (validated and negative examples).',
  registers: [metricsRegistry],
});

export const kbRecallHits = new Counter({
  name: 'k8flex_kb_recall_hits_total',
  help: 'Similar cases recalled for new incidents.',
  registers: [metricsRegistry],
});
