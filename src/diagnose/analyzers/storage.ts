import type * as k8s from '@kubernetes/client-node';
import type { Finding } from '../../domain/analysis.js';
import type { Evidence } from '../../domain/evidence.js';
import type { Analyzer } from '../analyzer.js';
import { makeFinding } from '../make-finding.js';
import { eventLine, eventSource, eventsFor, nameOf, nsOf, objectSource, scopedPods } from '../snapshot-queries.js';

function scopedPvcs(evidence: Evidence): k8s.V1PersistentVolumeClaim[] {
  const { snapshot, target } = evidence;
  if (target.pvc) {
    const named = snapshot.pvcs.filter((c) => nameOf(c) === target.pvc);
    if (named.length > 0) return named;
  }
  const claimed = new Set(scopedPods(evidence).flatMap((p) => (p.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter(Boolean)));
  const used = snapshot.pvcs.filter((c) => claimed.has(nameOf(c)));
  return used.length > 0 ? used : snapshot.pvcs;
}

export const analyzeStorage: Analyzer = ({ subject, evidence }) => {
  const { snapshot } = evidence;
  const findings: Finding[] = [];
  const defaultClass = snapshot.storageClasses.find((s) => s.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
  for (const pvc of scopedPvcs(evidence)) {
    const ns = nsOf(pvc);
    const name = nameOf(pvc);
    const src = objectSource('PersistentVolumeClaim', pvc.metadata);
    if (pvc.status?.phase === 'Pending') {
      const events = eventsFor(snapshot, 'PersistentVolumeClaim', name, ns);
      const failed = events.find((e) => e.reason === 'ProvisioningFailed' || e.reason === 'FailedBinding');
      const cls = pvc.spec?.storageClassName;
      const classMissing = (cls && snapshot.storageClasses.length > 0 && !snapshot.storageClasses.some((s) => nameOf(s) === cls))
        || /storageclass[\w.]* "[^"]+" not found|no storage class is set/i.test(failed?.message ?? '')
        || (!cls && !defaultClass && snapshot.storageClasses.length > 0);
      const evidenceLines = [
        { line: `status.phase=Pending storageClassName=${cls ?? '(none)'}`, source: src },
        ...(failed ? [{ line: eventLine(failed), source: eventSource(failed) }] : []),
        ...(snapshot.storageClasses.length > 0 ? [{ line: `storage classes: ${snapshot.storageClasses.map((s) => `${nameOf(s)}${s === defaultClass ? ' (default)' : ''}`).join(', ')}`, source: 'storageclasses' }] : []),
      ];
      if (classMissing) {
        findings.push(makeFinding({
          analyzer: 'storage', cause: 'pvc-no-storageclass', category: 'storage', confidence: 0.93, evidence: evidenceLines,
          title: cls ? `PVC ${ns}/${name} stays Pending: StorageClass "${cls}" does not exist.` : `PVC ${ns}/${name} stays Pending: it sets no storageClassName and the cluster has no default StorageClass.`,
          detail: 'Nothing can provision or bind a volume for the claim, so every pod that mounts it stays Pending.',
          actions: ['kubectl get storageclass', `Recreate the claim with an existing storageClassName (the field is immutable): kubectl -n ${ns} get pvc ${name} -o yaml`],
        }));
      } else if (failed) {
        findings.push(makeFinding({
          analyzer: 'storage', cause: 'pvc-provisioning-failed', category: 'storage', confidence: 0.88, evidence: evidenceLines,
          title: `PVC ${ns}/${name} stays Pending: the provisioner failed — "${failed.message ?? ''}".`,
          detail: 'The CSI provisioner could not create the volume.',
          actions: [`kubectl -n ${ns} describe pvc ${name}`, 'Check the CSI controller logs and the cloud quota/permissions for volumes.'],
        }));
      }
    }
  }
  for (const pod of scopedPods(evidence)) {
    const events = eventsFor(snapshot, 'Pod', nameOf(pod), nsOf(pod)).filter((e) => e.reason === 'FailedMount' || e.reason === 'FailedAttachVolume');
    const first = events.find((e) => !/timed out waiting for the condition/.test(e.message ?? '')) ?? events[0];
    if (!first) continue;
    const message = first.message ?? '';
    const ref = /(configmap|secret)s? "([\w.-]+)" not found/i.exec(message);
    const lines = events.slice(0, 3).map((e) => ({ line: eventLine(e), source: eventSource(e) }));
    if (ref) {
      const kind = ref[1]?.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
      findings.push(makeFinding({
        analyzer: 'storage', cause: kind === 'Secret' ? 'missing-secret' : 'missing-configmap', category: 'config-error', confidence: 0.93, evidence: lines,
        title: `Pod ${nsOf(pod)}/${nameOf(pod)} cannot mount ${kind} ${ref[2]}, which does not exist.`,
        detail: 'The pod stays in ContainerCreating until the referenced object exists.',
        actions: [`kubectl -n ${nsOf(pod)} get ${kind.toLowerCase()} ${ref[2]}`, `Create the ${kind} or fix the volume reference in the pod spec.`],
      }));
      continue;
    }
    const volume = /volume "([\w.-]+)"/.exec(message)?.[1];
    findings.push(makeFinding({
      analyzer: 'storage', cause: 'volume-mount-failed', category: 'storage', confidence: 0.85, evidence: lines,
      title: `Pod ${nsOf(pod)}/${nameOf(pod)} cannot ${first.reason === 'FailedAttachVolume' ? 'attach' : 'mount'} volume${volume ? ` ${volume}` : ''}: ${message.slice(0, 200)}`,
      detail: /Multi-Attach/.test(message) ? 'A ReadWriteOnce volume is still attached to another node (often a pod stuck terminating there).' : 'The kubelet or CSI driver failed to attach or mount the volume.',
      actions: [`kubectl -n ${nsOf(pod)} describe pod ${nameOf(pod)}`, 'kubectl get volumeattachments', 'Check the CSI node plugin logs on the node.'],
    }));
  }
  if (/PersistentVolume(Inodes)?FillingUp/.test(subject.alertname)) {
    const claim = subject.labels.persistentvolumeclaim ?? evidence.target.pvc ?? '?';
    const pvc = snapshot.pvcs.find((c) => nameOf(c) === claim);
    findings.push(makeFinding({
      analyzer: 'storage', cause: 'volume-filling-up', category: 'storage', confidence: 0.85,
      title: `PersistentVolumeClaim ${subject.labels.namespace ?? ''}/${claim} is nearly full${pvc?.status?.capacity?.storage ? ` (capacity ${pvc.status.capacity.storage})` : ''}.`,
      detail: 'Writes will fail with "no space left on device" when it is full.',
      evidence: [
        { line: subject.annotations.description ?? subject.annotations.summary ?? subject.alertname, source: 'alert/annotations' },
        ...(pvc ? [{ line: `capacity ${pvc.status?.capacity?.storage ?? '?'} storageClassName=${pvc.spec?.storageClassName ?? ''}`, source: objectSource('PersistentVolumeClaim', pvc.metadata) }] : []),
      ],
      actions: [`Expand the claim if the class allows it: kubectl -n ${subject.labels.namespace ?? ''} patch pvc ${claim} -p '{"spec":{"resources":{"requests":{"storage":"<bigger>"}}}}'`, 'Delete or compact data (retention, old WAL/logs).'],
    }));
  }
  return findings;
};
