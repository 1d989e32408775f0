import type { ResolvedTarget } from '../domain/types.js';
import { addItem, type CollectContext } from './collect-context.js';
import { promqlString } from './promql-string.js';
import { queryPrometheus } from './query-prometheus.js';

/**
 * Restarts, OOM kills, CPU throttling and memory working set over the last hour
 * for the target pod (cAdvisor and kube-state-metrics series), when Prometheus is
 * configured; narrowed to the target container when one was resolved. Each query
 * is an instant query evaluated at Prometheus's now over a `[1h]` range.
 */
export const METRIC_NAMES = ['restarts', 'oomKills', 'cpuThrottledRatio', 'memoryWorkingSetBytes'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export function metricQueries(namespace: string, pod: string, container: string | null): Record<MetricName, string> {
  // Values are escaped: names come from alert labels and API objects, never trusted as PromQL.
  const sel = [`namespace=${promqlString(namespace)}`, `pod=${promqlString(pod)}`, ...(container ? [`container=${promqlString(container)}`] : [])].join(',');
  return {
    restarts: `increase(kube_pod_container_status_restarts_total{${sel}}[1h])`,
    oomKills: `max_over_time(kube_pod_container_status_last_terminated_reason{${sel},reason="OOMKilled"}[1h])`,
    cpuThrottledRatio: `sum by (container) (increase(container_cpu_cfs_throttled_periods_total{${sel},container!=""}[1h])) / sum by (container) (increase(container_cpu_cfs_periods_total{${sel},container!=""}[1h]))`,
    memoryWorkingSetBytes: `max by (container) (max_over_time(container_memory_working_set_bytes{${sel},container!=""}[1h]))`,
  };
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(+value.toFixed(4));
}

export async function collectMetrics(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  if (!ctx.prometheusUrl) return;
  const { namespace, pod, container } = target;
  if (!namespace || !pod) {
    ctx.missing.push('no pod resolved: Prometheus was not queried');
    return;
  }
  const base = ctx.prometheusUrl;
  const queries = Object.entries(metricQueries(namespace, pod, container)) as Array<[MetricName, string]>;
  const results = await Promise.all(queries.map(([, q]) => queryPrometheus(base, q, ctx.limits.timeoutMs, ctx.signal)));
  for (const [i, [name]] of queries.entries()) {
    const r = results[i];
    if (!r) continue;
    ctx.snapshot.metrics.push(...r.series.map((s) => ({ name, namespace, pod, query: r.query, labels: s.labels, value: s.value })));
    const text = r.error
      ? `could not query Prometheus: ${r.error}`
      : r.series.map((s) => `${s.labels.container ?? pod}: ${formatValue(s.value)}`).join('\n') || '(no series)';
    if (r.error) ctx.missing.push(`Prometheus ${name}: ${r.error}`);
    addItem(ctx, {
      id: `prometheus/${namespace}/${pod}/${name}`,
      title: `Prometheus: ${name} (last hour)`,
      source: { kind: 'PrometheusQuery', namespace, name: pod, path: r.query },
      text,
      truncated: false,
      ...(r.error ? { error: r.error } : {}),
    });
  }
}
