import type * as k8s from '@kubernetes/client-node';
import type { EvidenceLine, Finding } from '../../domain/analysis.js';
import type { ClusterSnapshot } from '../../domain/evidence.js';
import type { CauseId } from '../causes.js';
import { makeFinding } from '../make-finding.js';
import { allContainers, eventLine, eventSource, eventsFor, nameOf, nsOf } from '../snapshot-queries.js';

const PROBES = [
  { kind: 'Liveness', field: 'livenessProbe', cause: 'liveness-probe-failed' },
  { kind: 'Readiness', field: 'readinessProbe', cause: 'readiness-probe-failed' },
  { kind: 'Startup', field: 'startupProbe', cause: 'startup-probe-failed' },
] as const;

/**
 * Probe failures from the kubelet's `Unhealthy` events ("Liveness probe failed:
 * HTTP probe failed with statuscode: 500"), joined with the probe spec (path, port).
 * A probe aimed at a port the container does not declare is reported as such.
 */
export function probeFindings(pod: k8s.V1Pod, snapshot: ClusterSnapshot): Finding[] {
  const events = eventsFor(snapshot, 'Pod', nameOf(pod), nsOf(pod));
  const findings: Finding[] = [];
  const pn = `${nsOf(pod)}/${nameOf(pod)}`;
  for (const probe of PROBES) {
    const failures = events.filter((e) => e.reason === 'Unhealthy' && (e.message ?? '').startsWith(`${probe.kind} probe`));
    if (failures.length === 0) continue;
    const container = containerForProbe(pod, failures, probe.field);
    const spec = container?.[probe.field];
    const port = spec?.httpGet?.port ?? spec?.tcpSocket?.port ?? spec?.grpc?.port;
    const path = spec?.httpGet?.path;
    const evidence: EvidenceLine[] = failures.slice(0, 3).map((e) => ({ line: eventLine(e), source: eventSource(e) }));
    const killing = events.find((e) => e.reason === 'Killing' && /failed (liveness|startup) probe/.test(e.message ?? ''));
    if (killing && probe.kind !== 'Readiness') evidence.push({ line: eventLine(killing), source: eventSource(killing) });
    const where = `${path ? `${path} ` : ''}${port !== undefined ? `on port ${port}` : ''}`.trim();
    if (spec) evidence.push({ line: `container ${container?.name}: ${probe.field} ${describeProbe(spec)}`, source: `pod/${pn}/spec` });
    const declared = (container?.ports ?? []).flatMap((p) => [String(p.containerPort), p.name ?? '']);
    const refused = failures.some((e) => /connection refused|connect: connection/i.test(e.message ?? ''));
    const status = /statuscode: (\d+)/.exec(failures[0]?.message ?? '')?.[1];
    if (port !== undefined && refused && (container?.ports?.length ?? 0) > 0 && !declared.includes(String(port))) {
      findings.push(makeFinding({
        analyzer: 'containers', cause: 'probe-port-not-exposed', category: probe.kind === 'Readiness' ? 'endpoint-missing' : 'pod-restart', confidence: 0.92, evidence,
        title: `The ${probe.kind.toLowerCase()} probe of container ${container?.name} in pod ${pn} targets port ${port}, which the container does not expose (it declares ${declared.filter(Boolean).join(', ')}).`,
        detail: `Every probe gets "connection refused" because nothing listens on port ${port}.`,
        actions: [
          `Point ${probe.field} at the port the application listens on (declared: ${declared.filter(Boolean).join(', ')}).`,
          `kubectl -n ${nsOf(pod)} get pod ${nameOf(pod)} -o jsonpath='{.spec.containers[*].${probe.field}}'`,
        ],
      }));
      continue;
    }
    const cause: CauseId = probe.cause;
    findings.push(makeFinding({
      analyzer: 'containers', cause, category: probe.kind === 'Readiness' ? 'endpoint-missing' : 'pod-restart',
      confidence: probe.kind === 'Readiness' ? 0.8 : 0.88, evidence,
      title: `The ${probe.kind.toLowerCase()} probe of container ${container?.name ?? '?'} in pod ${pn} fails${where ? ` (${where})` : ''}${status ? ` with HTTP ${status}` : refused ? ': connection refused' : ''}.`,
      detail: probe.kind === 'Readiness'
        ? 'The pod stays out of its Services\' endpoints while the readiness probe fails.'
        : `The kubelet restarts the container each time the ${probe.kind.toLowerCase()} probe fails failureThreshold times.`,
      actions: [
        `Check the endpoint from inside the pod: kubectl -n ${nsOf(pod)} exec ${nameOf(pod)} -c ${container?.name ?? '<container>'} -- wget -qO- http://localhost:${port ?? '<port>'}${path ?? '/'}`,
        probe.kind === 'Readiness'
          ? 'Fix what the readiness endpoint depends on, or the probe path/port.'
          : 'If the application is just slow to start, add a startupProbe or raise initialDelaySeconds/failureThreshold; otherwise fix the health endpoint.',
      ],
    }));
  }
  return findings;
}

function containerForProbe(pod: k8s.V1Pod, failures: k8s.CoreV1Event[], field: 'livenessProbe' | 'readinessProbe' | 'startupProbe'): k8s.V1Container | undefined {
  const fieldPath = failures[0]?.involvedObject.fieldPath ?? '';
  const named = /\{(.+)\}/.exec(fieldPath)?.[1];
  const containers = allContainers(pod);
  return containers.find((c) => c.name === named) ?? containers.find((c) => c[field] !== undefined) ?? containers[0];
}

function describeProbe(p: k8s.V1Probe): string {
  if (p.httpGet) return `httpGet ${p.httpGet.path ?? '/'} port ${p.httpGet.port}`;
  if (p.tcpSocket) return `tcpSocket port ${p.tcpSocket.port}`;
  if (p.exec) return `exec ${(p.exec.command ?? []).join(' ')}`;
  if (p.grpc) return `grpc port ${p.grpc.port}`;
  return 'probe';
}
