import type * as k8s from '@kubernetes/client-node';
import type { Finding } from '../../domain/analysis.js';
import type { Evidence } from '../../domain/evidence.js';
import type { Analyzer } from '../analyzer.js';
import { makeFinding } from '../make-finding.js';
import { labelsMatch, nameOf, nsOf, objectSource, podIsReady, podsForService, scopedPods } from '../snapshot-queries.js';

/** The Services an incident is about: the target Service, else those selecting the scoped pods, else all read. */
function scopedServices(evidence: Evidence): k8s.V1Service[] {
  const { snapshot, target } = evidence;
  const named = snapshot.services.filter((s) => nameOf(s) === target.service && (!target.namespace || nsOf(s) === target.namespace));
  if (named.length > 0) return named;
  const pods = scopedPods(evidence);
  const selecting = snapshot.services.filter((s) => pods.some((p) => nsOf(p) === nsOf(s) && labelsMatch(s.spec?.selector, p.metadata?.labels)));
  if (selecting.length > 0 && target.pod) return selecting;
  return snapshot.services.filter((s) => !target.namespace || nsOf(s) === target.namespace);
}

export const analyzeServices: Analyzer = ({ evidence }) => {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  for (const svc of scopedServices(evidence)) {
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName') continue;
    const ns = nsOf(svc);
    const name = nameOf(svc);
    const src = objectSource('Service', svc.metadata);
    const sel = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    const pods = podsForService(snapshot, svc).filter((p) => !p.metadata?.deletionTimestamp);
    const slices = snapshot.endpointSlices.filter((e) => nsOf(e) === ns && e.metadata?.labels?.['kubernetes.io/service-name'] === name);
    if (pods.length === 0) {
      const near = snapshot.pods
        .filter((p) => nsOf(p) === ns && Object.keys(selector).some((k) => p.metadata?.labels?.[k] !== undefined))
        .slice(0, 3)
        .map((p) => `${nameOf(p)} {${Object.entries(p.metadata?.labels ?? {}).filter(([k]) => k in selector).map(([k, v]) => `${k}=${v}`).join(',')}}`);
      findings.push(makeFinding({
        analyzer: 'services', cause: 'service-selector-no-match', category: 'endpoint-missing', confidence: 0.92,
        title: `Service ${ns}/${name} selects ${sel}, which matches no pod, so it has no endpoints.`,
        detail: near.length > 0 ? `Pods with the same label keys carry different values: ${near.join('; ')}.` : 'No pod in the namespace carries these labels.',
        evidence: [
          { line: `spec.selector: ${sel}`, source: src },
          { line: `pods matching ${sel}: none${near.length > 0 ? `; nearest: ${near.join('; ')}` : ''}`, source: `pods/${ns}` },
          ...slices.slice(0, 1).map((s) => ({ line: `endpointslice ${nameOf(s)}: ${(s.endpoints ?? []).length} endpoints`, source: objectSource('EndpointSlice', s.metadata) })),
        ],
        actions: [`kubectl -n ${ns} get pods -l ${sel}`, `kubectl -n ${ns} get pods --show-labels`, `Fix the Service selector or the pod template labels so they agree: kubectl -n ${ns} edit service ${name}`],
      }));
      continue;
    }
    const mismatch = portMismatch(svc, pods);
    if (mismatch) {
      findings.push(makeFinding({
        analyzer: 'services', cause: 'target-port-mismatch', category: 'service-down', confidence: 0.88,
        title: `Service ${ns}/${name} sends traffic to targetPort ${mismatch.targetPort}, but its pods' containers expose ${mismatch.exposed}.`,
        detail: 'Connections to the Service are refused because nothing listens on the targetPort.',
        evidence: [
          { line: `spec.ports: port ${mismatch.port} -> targetPort ${mismatch.targetPort}`, source: src },
          { line: `pod ${nameOf(pods[0] as k8s.V1Pod)} container ports: ${mismatch.exposed}`, source: `pod/${ns}/${nameOf(pods[0] as k8s.V1Pod)}/spec` },
        ],
        actions: [`Set targetPort to the container port: kubectl -n ${ns} patch service ${name} --type=json -p '[{"op":"replace","path":"/spec/ports/0/targetPort","value":<port>}]'`, `kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${name}`],
      }));
      continue;
    }
    const ready = pods.filter(podIsReady);
    const sliceEndpoints = slices.flatMap((s) => s.endpoints ?? []);
    const sliceReady = sliceEndpoints.filter((e) => e.conditions?.ready !== false);
    if (ready.length === 0 || (sliceEndpoints.length > 0 && sliceReady.length === 0)) {
      findings.push(makeFinding({
        analyzer: 'services', cause: 'endpoints-not-ready', category: 'endpoint-missing', confidence: 0.65,
        title: `Service ${ns}/${name} has ${pods.length} matching pod(s) but none is ready, so it has no ready endpoints.`,
        detail: 'The pods behind the Service are not ready; see the container findings for why.',
        evidence: [
          { line: `pods selected by ${sel}: ${pods.map((p) => `${nameOf(p)} (${p.status?.phase ?? '?'}, ready=${podIsReady(p)})`).join(', ')}`, source: `pods/${ns}` },
          ...(sliceEndpoints.length > 0 ? [{ line: `endpointslice: ${sliceEndpoints.length} endpoints, ${sliceReady.length} ready`, source: `endpointslices/${ns}/${name}` }] : []),
        ],
        actions: [`kubectl -n ${ns} get pods -l ${sel} -o wide`, `kubectl -n ${ns} describe pods -l ${sel}`],
      }));
    }
  }
  return findings;
};

function portMismatch(svc: k8s.V1Service, pods: k8s.V1Pod[]): { port: number; targetPort: string; exposed: string } | null {
  const containers = pods.flatMap((p) => p.spec?.containers ?? []);
  const ports = containers.flatMap((c) => c.ports ?? []);
  if (ports.length === 0) return null;
  for (const sp of svc.spec?.ports ?? []) {
    const target = sp.targetPort ?? sp.port;
    const ok = ports.some((p) => (typeof target === 'number' || /^\d+$/.test(String(target)) ? p.containerPort === Number(target) : p.name === target));
    if (!ok) {
      return { port: sp.port, targetPort: String(target), exposed: ports.map((p) => `${p.containerPort}${p.name ? ` (${p.name})` : ''}`).join(', ') };
    }
  }
  return null;
}
