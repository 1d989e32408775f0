import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The one Prometheus registry served on /metrics. Modules declare their own metrics
 * with `registers: [metricsRegistry]` beside the code that updates them.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'k8flex_process_' });
