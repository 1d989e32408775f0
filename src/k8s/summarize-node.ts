import type * as k8s from '@kubernetes/client-node';
import { compact, toYaml } from './to-yaml.js';

/** Conditions, capacity vs allocatable, taints; plus what the listed pods request on it. */
export function summarizeNode(node: k8s.V1Node, podsOnNode?: k8s.V1Pod[]): string {
  const requested = podsOnNode ? sumRequests(podsOnNode) : undefined;
  return toYaml(
    compact({
      node: node.metadata?.name,
      unschedulable: node.spec?.unschedulable,
      labels: pick(node.metadata?.labels, /topology|instance-type|node-role|nodepool|agentpool|os$/),
      conditions: (node.status?.conditions ?? []).map(
        (c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`,
      ),
      taints: (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
      capacity: node.status?.capacity,
      allocatable: node.status?.allocatable,
      requested,
      kubelet: node.status?.nodeInfo?.kubeletVersion,
    }),
  );
}

function pick(labels: Record<string, string> | undefined, pattern: RegExp): Record<string, string> | undefined {
  if (!labels) return undefined;
  return Object.fromEntries(Object.entries(labels).filter(([k]) => pattern.test(k)));
}

/** Sum of container requests in millicores / bytes, shown as Kubernetes quantities. */
export function sumRequests(pods: k8s.V1Pod[]): { cpu: string; memory: string; pods: number } {
  let cpu = 0;
  let memory = 0;
  for (const p of pods) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    for (const c of p.spec?.containers ?? []) {
      cpu += parseCpu(c.resources?.requests?.cpu);
      memory += parseBytes(c.resources?.requests?.memory);
    }
  }
  return { cpu: `${cpu}m`, memory: `${Math.round(memory / 1024 / 1024)}Mi`, pods: pods.length };
}

export function parseCpu(q: string | undefined): number {
  if (!q) return 0;
  if (q.endsWith('m')) return Number(q.slice(0, -1)) || 0;
  return Math.round((Number(q) || 0) * 1000);
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

export function parseBytes(q: string | undefined): number {
  if (!q) return 0;
  const m = /^([\d.]+)([A-Za-z]*)$/.exec(q);
  if (!m) return 0;
  return (Number(m[1]) || 0) * (UNITS[m[2] ?? ''] ?? 1);
}
