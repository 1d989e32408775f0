import type * as k8s from '@kubernetes/client-node';
import type { ResolvedTarget } from '../domain/types.js';
import { addFailure, addItem, remember, type CollectContext } from './collect-context.js';
import { formatEvents, sortEvents } from './format-events.js';
import { selectorString, type WorkloadObject } from './read-workload.js';
import { summarizeWorkload } from './summarize-workload.js';

function find(ctx: CollectContext, kind: string, namespace: string, name: string): WorkloadObject | undefined {
  const s = ctx.snapshot;
  const lists: Record<string, WorkloadObject[]> = { Deployment: s.deployments, StatefulSet: s.statefulSets, DaemonSet: s.daemonSets, ReplicaSet: s.replicaSets, Job: s.jobs, CronJob: s.cronJobs };
  return lists[kind]?.find((w) => w.metadata?.name === name && w.metadata.namespace === namespace);
}

function ownedBy(object: { metadata?: { ownerReferences?: k8s.V1OwnerReference[] } }, kind: string, name: string): boolean {
  return (object.metadata?.ownerReferences ?? []).some((o) => o.kind === kind && o.name === name);
}

/**
 * The resolved workload: its conditions, and the history under it — a Deployment's
 * ReplicaSets (revision, images, readiness), a CronJob's Jobs.
 */
export async function collectWorkload(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  const ref = target.workload;
  if (!ref) {
    ctx.missing.push('no workload could be resolved: workload conditions and history were not read');
    return;
  }
  const { namespace, name, kind } = ref;
  const workload = find(ctx, kind, namespace, name);
  if (!workload) return;
  addItem(ctx, {
    id: `${kind.toLowerCase()}/${namespace}/${name}/status`,
    title: `${kind} ${name}: conditions and rollout status`,
    source: { kind, namespace, name, path: workloadPath(kind, namespace, name) },
    text: summarizeWorkload(kind, workload),
    truncated: false,
  });
  if (kind === 'Deployment') {
    const labelSelector = selectorString((workload as k8s.V1Deployment).spec?.selector) ?? undefined;
    const r = await ctx.reader.read((o) => ctx.clients.apps.listNamespacedReplicaSet({ namespace, labelSelector }, o));
    const id = `deployment/${namespace}/${name}/replicasets`;
    if (!r.ok) return addFailure(ctx, id, `ReplicaSets of ${name}`, { kind: 'ReplicaSet', namespace }, r);
    const owned = r.value.items.filter((rs) => ownedBy(rs, 'Deployment', name));
    remember(ctx.snapshot.replicaSets, owned);
    const revision = (rs: k8s.V1ReplicaSet) => Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    addItem(ctx, {
      id,
      title: `ReplicaSets of Deployment ${name} (newest revision first)`,
      source: { kind: 'ReplicaSet', namespace, path: r.path },
      text:
        owned
          .sort((a, b) => revision(b) - revision(a))
          .slice(0, 5)
          .map((rs) => `revision ${revision(rs)} ${rs.metadata?.name ?? ''} replicas=${rs.status?.replicas ?? 0} ready=${rs.status?.readyReplicas ?? 0} images=${(rs.spec?.template?.spec?.containers ?? []).map((c) => c.image).join(',')}`)
          .join('\n') || '(no ReplicaSets)',
      truncated: owned.length > 5,
    });
  }
  if (kind === 'CronJob') {
    const r = await ctx.reader.read((o) => ctx.clients.batch.listNamespacedJob({ namespace }, o));
    const id = `cronjob/${namespace}/${name}/jobs`;
    if (!r.ok) return addFailure(ctx, id, `Jobs of ${name}`, { kind: 'Job', namespace }, r);
    const owned = r.value.items.filter((j) => ownedBy(j, 'CronJob', name));
    remember(ctx.snapshot.jobs, owned);
    addItem(ctx, {
      id,
      title: `Jobs of CronJob ${name}`,
      source: { kind: 'Job', namespace, path: r.path },
      text: owned.map((j) => summarizeWorkload('Job', j)).join('\n---\n') || '(no Jobs)',
      truncated: false,
    });
  }
}

function workloadPath(kind: string, namespace: string, name: string): string {
  const group = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  return `/apis/${group}/namespaces/${namespace}/${kind.toLowerCase()}s/${name}`;
}

/** The namespace's most recent events (Warning first), whatever object they are about. */
export async function collectNamespaceEvents(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  const namespace = target.namespace;
  if (!namespace) return;
  const r = await ctx.reader.read((o) => ctx.clients.core.listNamespacedEvent({ namespace }, o));
  const id = `namespace/${namespace}/events`;
  if (!r.ok) return addFailure(ctx, id, `events in ${namespace}`, { kind: 'Event', namespace }, r);
  const sorted = sortEvents(r.value.items);
  const recent = [...sorted.filter((e) => e.type === 'Warning'), ...sorted.filter((e) => e.type !== 'Warning')].slice(0, ctx.limits.eventLimit);
  remember(ctx.snapshot.events, recent);
  addItem(ctx, {
    id,
    title: `Recent events in namespace ${namespace}`,
    source: { kind: 'Event', namespace, path: r.path },
    text: formatEvents(recent),
    truncated: r.value.items.length > recent.length,
  });
}
