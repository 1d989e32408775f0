import type * as k8s from '@kubernetes/client-node';
import type { ResolvedTarget } from '../domain/types.js';
import { redactText } from '../redact/redact-text.js';
import { reduceLog } from '../redact/reduce-log.js';
import { addFailure, addItem, remember, type CollectContext } from './collect-context.js';
import { targetPod } from './collect-pod.js';
import { compact, toYaml } from './to-yaml.js';

/** CoreDNS pods carry this label in kubeadm, EKS, GKE and AKS alike. */
const COREDNS_SELECTOR = 'k8s-app=kube-dns';
const COREDNS_LOG_LINES = 50;

export function selectsPod(selector: k8s.V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    if (e.operator === 'In') return value !== undefined && (e.values ?? []).includes(value);
    if (e.operator === 'NotIn') return value === undefined || !(e.values ?? []).includes(value);
    if (e.operator === 'Exists') return value !== undefined;
    return value === undefined;
  });
  return byLabels && byExpressions;
}

function peers(rules: Array<{ _from?: k8s.V1NetworkPolicyPeer[]; to?: k8s.V1NetworkPolicyPeer[]; ports?: k8s.V1NetworkPolicyPort[] }>) {
  return rules.map((r) => ({
    peers: (r._from ?? r.to ?? []).map((p) => compact({ podSelector: p.podSelector, namespaceSelector: p.namespaceSelector, ipBlock: p.ipBlock })),
    ports: (r.ports ?? []).map((p) => `${p.protocol ?? 'TCP'}/${String(p.port ?? '*')}`),
  }));
}

/** NetworkPolicies that select the target pod, with their ingress and egress rules. */
export async function collectNetworkPolicies(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  const namespace = target.namespace;
  if (!namespace) return;
  const r = await ctx.reader.read((o) => ctx.clients.networking.listNamespacedNetworkPolicy({ namespace }, o));
  const id = `namespace/${namespace}/networkpolicies`;
  if (!r.ok) return addFailure(ctx, id, `NetworkPolicies in ${namespace}`, { kind: 'NetworkPolicy', namespace }, r);
  const labels = targetPod(ctx, target)?.metadata?.labels ?? {};
  const selecting = r.value.items.filter((p) => selectsPod(p.spec?.podSelector, labels));
  remember(ctx.snapshot.networkPolicies, selecting);
  addItem(ctx, {
    id,
    title: `NetworkPolicies selecting ${target.pod ?? 'pods'} in ${namespace}`,
    source: { kind: 'NetworkPolicy', namespace, path: r.path },
    text:
      selecting.length === 0
        ? `no NetworkPolicy in ${namespace} selects ${target.pod ?? 'the target'} (${r.value.items.length} policies in the namespace)`
        : toYaml(
            selecting.map((p) =>
              compact({
                name: p.metadata?.name,
                podSelector: p.spec?.podSelector,
                policyTypes: p.spec?.policyTypes,
                ingress: p.spec?.ingress ? peers(p.spec.ingress) : undefined,
                egress: p.spec?.egress ? peers(p.spec.egress) : undefined,
                note: p.spec?.policyTypes?.includes('Egress') && (p.spec.egress ?? []).length === 0 ? 'denies all egress (DNS included)' : undefined,
              }),
            ),
          ),
    truncated: false,
  });
}

/** CoreDNS pods' status and recent logs. */
export async function collectCoreDns(ctx: CollectContext): Promise<void> {
  const namespace = 'kube-system';
  const r = await ctx.reader.read((o) => ctx.clients.core.listNamespacedPod({ namespace, labelSelector: COREDNS_SELECTOR }, o));
  if (!r.ok) return addFailure(ctx, 'coredns/pods', 'CoreDNS pods', { kind: 'Pod', namespace }, r);
  remember(ctx.snapshot.pods, r.value.items);
  addItem(ctx, {
    id: 'coredns/pods',
    title: 'CoreDNS pods',
    source: { kind: 'Pod', namespace, path: r.path },
    text:
      r.value.items
        .map((p) => {
          const s = p.status?.containerStatuses ?? [];
          return `${p.metadata?.name ?? ''} phase=${p.status?.phase ?? '?'} ready=${s.length > 0 && s.every((c) => c.ready)} restarts=${s.reduce((n, c) => n + c.restartCount, 0)} node=${p.spec?.nodeName ?? '-'}`;
        })
        .join('\n') || `no pods with ${COREDNS_SELECTOR} in kube-system`,
    truncated: false,
  });
  await Promise.all(
    r.value.items.slice(0, 2).map(async (p) => {
      const name = p.metadata?.name ?? '';
      const container = p.spec?.containers[0]?.name ?? 'coredns';
      const id = `pod/${namespace}/${name}/logs/${container}/current`;
      const log = await ctx.reader.read((o) =>
        ctx.clients.core.readNamespacedPodLog({ name, namespace, container, tailLines: COREDNS_LOG_LINES, limitBytes: ctx.limits.logMaxBytes * 4 }, o),
      );
      if (!log.ok) return addFailure(ctx, id, `CoreDNS logs ${name}`, { kind: 'Pod', namespace, name }, log);
      const raw = String(log.value);
      const redacted = redactText(raw);
      const reduced = reduceLog(redacted, { maxBytes: Math.floor(ctx.limits.logMaxBytes / 2) });
      ctx.snapshot.logs.push({ namespace, pod: name, container, previous: false, text: redacted, truncated: reduced.truncated });
      addItem(ctx, { id, title: `Logs of CoreDNS pod ${name}`, source: { kind: 'Pod', namespace, name, path: log.path }, text: reduced.text || '(empty log)', truncated: reduced.truncated }, raw.length);
    }),
  );
}
