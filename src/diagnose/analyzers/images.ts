import type { EvidenceLine, Finding } from '../../domain/analysis.js';
import type { Analyzer } from '../analyzer.js';
import type { CauseId } from '../causes.js';
import { makeFinding } from '../make-finding.js';
import { eventLine, eventSource, eventsFor, nameOf, nsOf, podSource, scopedPods } from '../snapshot-queries.js';

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/** Registry answers as containerd/CRI-O word them, checked in this order. */
const KINDS: ReadonlyArray<{ cause: CauseId; pattern: RegExp }> = [
  { cause: 'invalid-image-name', pattern: /InvalidImageName|invalid reference format|couldn't parse image/i },
  { cause: 'image-pull-unauthorized', pattern: /401|403|unauthori[sz]ed|forbidden|authorization failed|pull access denied|no basic auth credentials|authentication required|insufficient_scope|denied:/i },
  { cause: 'image-not-found', pattern: /not found|manifest unknown|name unknown|does not exist|NotFound/i },
  { cause: 'registry-unreachable', pattern: /dial tcp|i\/o timeout|no such host|connection refused|TLS handshake timeout|x509|context deadline exceeded|network is unreachable|server misbehaving|Client\.Timeout/i },
];

export const analyzeImages: Analyzer = ({ evidence }) => {
  const findings: Finding[] = [];
  const { snapshot } = evidence;
  for (const pod of scopedPods(evidence)) {
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const events = eventsFor(snapshot, 'Pod', nameOf(pod), nsOf(pod));
    for (const cs of statuses) {
      const waiting = cs.state?.waiting;
      if (!waiting?.reason || !PULL_REASONS.has(waiting.reason)) continue;
      const pullEvents = events.filter(
        (e) => (e.reason === 'Failed' || e.reason === 'InspectFailed') && /pull|image/i.test(e.message ?? '') && !/Back-off/.test(e.message ?? '') && (e.message ?? '').includes(cs.image.split('@')[0] ?? cs.image),
      );
      const fallback = pullEvents.length > 0 ? pullEvents : events.filter((e) => e.reason === 'Failed' && /pull/i.test(e.message ?? ''));
      const text = [waiting.reason, waiting.message ?? '', ...fallback.map((e) => e.message ?? '')].join('\n');
      const cause = waiting.reason === 'InvalidImageName' ? 'invalid-image-name' : (KINDS.find((k) => k.pattern.test(text.replace(/^(ErrImagePull|ImagePullBackOff)$/m, '')))?.cause ?? 'image-pull-failed');
      const evidenceLines: EvidenceLine[] = [
        { line: `container ${cs.name}: waiting ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''} (image ${cs.image})`, source: podSource(pod) },
        ...fallback.slice(0, 2).map((e) => ({ line: eventLine(e), source: eventSource(e) })),
      ];
      const ns = nsOf(pod);
      const pullSecrets = (pod.spec?.imagePullSecrets ?? []).map((s) => s.name ?? '');
      const secretStatus = pullSecrets.map((s) => {
        const listed = snapshot.secrets.find((k) => k.name === s && k.namespace === ns);
        return listed?.missing ? `${s} (missing)` : s;
      });
      if (cause === 'image-pull-unauthorized') {
        evidenceLines.push({ line: `pod imagePullSecrets: ${secretStatus.length > 0 ? secretStatus.join(', ') : 'none'}`, source: `pod/${ns}/${nameOf(pod)}/spec` });
      }
      const titles: Record<string, string> = {
        'image-not-found': `Image ${cs.image} for container ${cs.name} in pod ${ns}/${nameOf(pod)} does not exist in the registry (bad tag or repository).`,
        'image-pull-unauthorized': `The registry refuses to serve ${cs.image} to pod ${ns}/${nameOf(pod)}: ${pullSecrets.length === 0 ? 'no imagePullSecret is set' : `imagePullSecret ${secretStatus.join(', ')} is missing or wrong`}.`,
        'registry-unreachable': `The node cannot reach the registry for ${cs.image} (pod ${ns}/${nameOf(pod)}).`,
        'invalid-image-name': `The image reference "${cs.image}" of container ${cs.name} in pod ${ns}/${nameOf(pod)} is malformed.`,
        'image-pull-failed': `Image ${cs.image} for container ${cs.name} in pod ${ns}/${nameOf(pod)} cannot be pulled.`,
      };
      const actions: Record<string, string[]> = {
        'image-not-found': [
          `Check that the tag exists: crane ls ${cs.image.replace(/[:@][^/]*$/, '')} (or the registry UI)`,
          `Fix the image reference and roll out: kubectl -n ${ns} set image <workload> ${cs.name}=<image:existing-tag>`,
        ],
        'image-pull-unauthorized': [
          `kubectl -n ${ns} get secret ${pullSecrets[0] ?? '<pull-secret>'}`,
          `Create or fix the pull secret and reference it: kubectl -n ${ns} create secret docker-registry <name> --docker-server=<registry> --docker-username=<user> --docker-password=<token>`,
          'Add it under spec.imagePullSecrets (or to the ServiceAccount).',
        ],
        'registry-unreachable': [
          'Check DNS, proxy and firewall egress from the nodes to the registry; try `crictl pull` on the node.',
          `kubectl -n ${ns} describe pod ${nameOf(pod)}`,
        ],
        'invalid-image-name': ['Fix the image reference (registry/repository:tag, lowercase, no spaces).'],
        'image-pull-failed': [`kubectl -n ${ns} describe pod ${nameOf(pod)}`],
      };
      findings.push(makeFinding({
        analyzer: 'images', cause, category: 'image-pull', confidence: cause === 'image-pull-failed' ? 0.7 : 0.93,
        evidence: evidenceLines, title: titles[cause] ?? '', actions: actions[cause] ?? [],
        detail: `${waiting.reason}: the kubelet backs off and retries the pull; the container cannot start until the image is pullable.`,
      }));
    }
  }
  return findings;
};
