import type * as k8s from '@kubernetes/client-node';
import type { EvidenceLine, Finding } from '../../domain/analysis.js';
import type { ClusterSnapshot } from '../../domain/evidence.js';
import type { Analyzer } from '../analyzer.js';
import { matchLogPatterns, targetOfLine } from '../log-patterns.js';
import { makeFinding } from '../make-finding.js';
import { labelSelectorMatches, logSource, logsFor, nameOf, nsOf, objectSource, podsForService, scopedPods } from '../snapshot-queries.js';

/**
 * NetworkPolicies that leave a pod's traffic with no allow rule, and DNS / timeout
 * failures in logs, traced to the Service they name when it is in the snapshot.
 */
export const analyzeNetwork: Analyzer = ({ category, evidence }) => {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  for (const pod of scopedPods(evidence)) {
    for (const c of pod.spec?.containers ?? []) {
      const log = logsFor(snapshot, pod, c.name)[0];
      if (!log) continue;
      const matches = matchLogPatterns(log.text);
      const dns = matches.find((m) => m.kind === 'dns');
      const timeout = matches.find((m) => m.kind === 'timeout' || m.kind === 'dependency-connection-refused');
      const egressDeny = policyDenies(snapshot, pod, 'Egress');
      if (dns) {
        const host = targetOfLine(dns.line)?.host;
        if (egressDeny && !egressAllowsDns(egressDeny.policies)) {
          findings.push(policyFinding(pod, 'Egress', egressDeny.policies, [{ line: dns.line, source: logSource(log) }], 0.9, 'DNS lookups (port 53) to kube-dns'));
          continue;
        }
        const svcExists = host ? snapshot.services.some((s) => host.split('.')[0] === nameOf(s)) : false;
        findings.push(makeFinding({
          analyzer: 'network', cause: 'dns-resolution-failed', category: 'dns-issues', confidence: 0.85,
          title: `Pod ${nsOf(pod)}/${nameOf(pod)} cannot resolve ${host ? `"${host}"` : 'a host name'}${host && !svcExists && snapshot.services.length > 0 ? ' (no Service of that name was found)' : ''}.`,
          detail: `The log shows: ${dns.line}`,
          evidence: [{ line: dns.line, source: logSource(log) }],
          actions: [
            `kubectl -n ${nsOf(pod)} exec ${nameOf(pod)} -- nslookup ${host ?? '<host>'}`,
            'kubectl -n kube-system get pods -l k8s-app=kube-dns; kubectl -n kube-system logs -l k8s-app=kube-dns --tail=50',
            'Check the host name (Service name, namespace, cluster domain) the application is configured with.',
          ],
        }));
        continue;
      }
      if (timeout) {
        const t = targetOfLine(timeout.line);
        const svc = t ? snapshot.services.find((s) => s.spec?.clusterIP === t.host || t.host.split('.')[0] === nameOf(s)) : undefined;
        if (svc) {
          const servers = podsForService(snapshot, svc);
          const denied = servers.map((s) => ({ s, d: policyDenies(snapshot, s, 'Ingress', pod) })).find((x) => x.d);
          if (denied?.d) {
            findings.push(policyFinding(denied.s, 'Ingress', denied.d.policies, [{ line: timeout.line, source: logSource(log) }], 0.9, `traffic from pod ${nameOf(pod)}`));
            continue;
          }
        }
        if (egressDeny && timeout.kind === 'timeout') {
          findings.push(policyFinding(pod, 'Egress', egressDeny.policies, [{ line: timeout.line, source: logSource(log) }], 0.85, `connections to ${t ? `${t.host}:${t.port ?? ''}` : 'its dependency'}`));
          continue;
        }
        if (timeout.kind === 'timeout' && t) {
          // Refused means nothing listens; a silent timeout inside the cluster is what a dropping NetworkPolicy looks like.
          const policiesRead = snapshot.networkPolicies.length > 0;
          const name = svc ? `Service ${nsOf(svc)}/${nameOf(svc)}` : `${t.host}${t.port ? `:${t.port}` : ''}`;
          findings.push(makeFinding({
            analyzer: 'network', cause: 'service-unreachable', category: policiesRead ? 'service-down' : 'network-policy', confidence: 0.7,
            title: `Pod ${nsOf(pod)}/${nameOf(pod)} times out connecting to ${name}.`,
            detail: `The log shows: ${timeout.line}`,
            evidence: [{ line: timeout.line, source: logSource(log) }],
            actions: [
              svc ? `kubectl -n ${nsOf(svc)} get endpointslices -l kubernetes.io/service-name=${nameOf(svc)}` : `kubectl get services -A -o wide | grep ${t.host}`,
              `kubectl -n ${nsOf(pod)} get networkpolicy`,
            ],
          }));
        }
      }
    }
    if (category === 'network-policy') {
      const deny = policyDenies(snapshot, pod, 'Ingress');
      if (deny && deny.policies.every((p) => (p.spec?.ingress ?? []).length === 0)) {
        findings.push(policyFinding(pod, 'Ingress', deny.policies, [], 0.75, 'all incoming traffic'));
      }
    }
  }
  return findings;
};

/**
 * The policies selecting `pod` for `direction` when none of their rules admits the
 * traffic (from `peer` when given, else any traffic at all); null when allowed or unselected.
 */
function policyDenies(snapshot: ClusterSnapshot, pod: k8s.V1Pod, direction: 'Ingress' | 'Egress', peer?: k8s.V1Pod): { policies: k8s.V1NetworkPolicy[] } | null {
  const selecting = snapshot.networkPolicies.filter((np) => nsOf(np) === nsOf(pod) && labelSelectorMatches(np.spec?.podSelector, pod.metadata?.labels) && types(np).includes(direction));
  if (selecting.length === 0) return null;
  const rules = selecting.flatMap((np) => (direction === 'Ingress' ? (np.spec?.ingress ?? []).map((r) => r._from) : (np.spec?.egress ?? []).map((r) => r.to)));
  if (rules.length === 0) return { policies: selecting };
  if (!peer) return null;
  const peerNs = snapshot.namespaces.find((n) => nameOf(n) === nsOf(peer));
  const admits = rules.some((peers) => peers === undefined || peers.length === 0 || peers.some((p) => {
    if (p.ipBlock) return false;
    const nsOk = p.namespaceSelector ? labelSelectorMatches(p.namespaceSelector, peerNs?.metadata?.labels ?? { 'kubernetes.io/metadata.name': nsOf(peer) }) : nsOf(peer) === nsOf(pod);
    const podOk = p.podSelector ? labelSelectorMatches(p.podSelector, peer.metadata?.labels) : true;
    return nsOk && podOk;
  }));
  return admits ? null : { policies: selecting };
}

function types(np: k8s.V1NetworkPolicy): string[] {
  return np.spec?.policyTypes ?? (np.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
}

function egressAllowsDns(policies: k8s.V1NetworkPolicy[]): boolean {
  return policies.some((np) => (np.spec?.egress ?? []).some((r) => (r.ports ?? []).some((p) => String(p.port) === '53') || (r.ports ?? []).length === 0 && (r.to ?? []).length === 0));
}

function policyFinding(pod: k8s.V1Pod, direction: string, policies: k8s.V1NetworkPolicy[], lines: EvidenceLine[], confidence: number, what: string): Finding {
  const names = policies.map(nameOf).join(', ');
  return makeFinding({
    analyzer: 'network', cause: 'network-policy-deny', category: 'network-policy', confidence,
    title: `NetworkPolicy ${names} selects pod ${nsOf(pod)}/${nameOf(pod)} for ${direction} and no rule allows ${what}.`,
    detail: `Once any policy selects a pod for ${direction}, only traffic a rule allows gets through; the policies below have no matching allow rule.`,
    evidence: [
      ...policies.map((np) => ({
        line: `networkpolicy ${nameOf(np)}: podSelector ${JSON.stringify(np.spec?.podSelector?.matchLabels ?? {})}, policyTypes ${types(np).join(',')}, ${direction === 'Ingress' ? (np.spec?.ingress ?? []).length : (np.spec?.egress ?? []).length} ${direction.toLowerCase()} rule(s)`,
        source: objectSource('NetworkPolicy', np.metadata),
      })),
      ...lines,
    ],
    actions: [`kubectl -n ${nsOf(pod)} get networkpolicy -o yaml`, `Add an allow rule for ${what} (podSelector/namespaceSelector and port), then retest from the client pod.`],
  });
}
