import type { ResolvedTarget } from '../domain/types.js';
import { addItem, type CollectContext } from './collect-context.js';
import { queryPrometheus } from './query-prometheus.js';

/**
 * Restarts, OOM kills, CPU throttling and memory working set over the last hour
 * for the target pod (cAdvisor and kube-state-metrics series), when Prometheus is configured.
 */
export function metricQueries(namespace: string, pod: string): Record<string, string> {
  const sel = `namespace="${namespace}",pod="${pod}"`;
  return {
    restarts: `increase(kube_pod_container_status_restarts_total{${sel}}[1h])`,
    oomKills: `max_over_time(kube_pod_container_status_last_terminated_reason{${sel},reason="OOMKilled"}[1h])`,
    cpuThrottledRatio: `sum by (container) (increase(container_cpu_cfs_throttled_periods_total{${sel},container!=""}[1h])) / sum by (container) (increase(container_cpu_cfs_periods_total{${sel},container!=""}[1h]))`,
    memoryWorkingSetBytes: `max by (container) (max_over_time(container_memory_working_set_bytes{${sel},container!=""}[1h]))`,
  };
}

export async function collectMetrics(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  if (!ctx.prometheusUrl) return;
  if (!target.namespace || !target.pod) {
    ctx.missing.push('no pod resolved: Prometheus was not queried');
    return;
  }
  const base = ctx.prometheusUrl;
  const queries = Object.entries(metricQueries(target.namespace, target.pod));
  const results = await Promise.all(queries.map(([, q]) => queryPrometheus(base, q, ctx.limits.timeoutMs, ctx.signal)));
  for (const [i, [label]] of queries.entries()) {
    const r = results[i];
    if (!r) continue;
    ctx.snapshot.metrics.push(...r.samples);
    const text = r.error
      ? `could not query Prometheus: ${r.error}`
      : r.samples.map((s) => `${s.labels.container ?? target.pod ?? ''}: ${Number.isFinite(s.value) ? +s.value.toFixed(4) : 'NaN'}`).join('\n') || '(no series)';
    if (r.error) ctx.missing.push(`Prometheus ${label}: ${r.error}`);
    addItem(ctx, {
      id: `prometheus/${target.namespace}/${target.pod}/${label}`,
      title: `Prometheus: ${label} (last hour)`,
      source: { kind: 'PrometheusQuery', namespace: target.namespace, name: target.pod, path: r.query },
      text,
      truncated: false,
      ...(r.error ? { error: r.error } : {}),
    });
  }
}
