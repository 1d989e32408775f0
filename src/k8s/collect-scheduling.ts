import type { ResolvedTarget } from '../domain/types.js';
import { addFailure, addItem, remember, type CollectContext } from './collect-context.js';
import { targetPod } from './collect-pod.js';
import { compact, toYaml } from './to-yaml.js';
import { summarizeNode } from './summarize-node.js';

/**
 * Why a pod is not placed or not pulled: the nodes (capacity, allocatable, taints)
 * against the pod's requests, selectors and tolerations (those are in the pod
 * summary), and the PVCs its volumes claim.
 */
export async function collectScheduling(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  const pod = targetPod(ctx, target);
  const namespace = target.namespace;
  const nodes = (async () => {
    const r = pod?.spec?.nodeName
      ? await ctx.reader.read((o) => ctx.clients.core.readNode({ name: pod.spec?.nodeName ?? '' }, o)).then((x) => (x.ok ? { ...x, value: { items: [x.value] } } : x))
      : await ctx.reader.read((o) => ctx.clients.core.listNode({}, o));
    if (!r.ok) return addFailure(ctx, 'nodes/scheduling', 'nodes', { kind: 'Node' }, r);
    remember(ctx.snapshot.nodes, r.value.items);
    addItem(ctx, {
      id: 'nodes/scheduling',
      title: pod?.spec?.nodeName ? `Node ${pod.spec.nodeName}` : 'Nodes the scheduler could choose from',
      source: { kind: 'Node', path: r.path },
      text: r.value.items.map((n) => summarizeNode(n)).join('\n---\n') || '(no nodes)',
      truncated: false,
    });
  })();
  const claims = (pod?.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
  const pvcs = namespace ? Promise.all(claims.map((claim) => collectPvc(ctx, namespace, claim))) : Promise.resolve();
  await Promise.all([nodes, pvcs]);
}

export async function collectPvc(ctx: CollectContext, namespace: string, name: string): Promise<void> {
  const id = `pvc/${namespace}/${name}`;
  const existing = ctx.snapshot.pvcs.find((p) => p.metadata?.name === name && p.metadata.namespace === namespace);
  const r = existing
    ? { ok: true as const, value: existing, path: `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${name}` }
    : await ctx.reader.read((o) => ctx.clients.core.readNamespacedPersistentVolumeClaim({ name, namespace }, o));
  if (!r.ok) return addFailure(ctx, id, `PersistentVolumeClaim ${name}`, { kind: 'PersistentVolumeClaim', namespace, name }, r);
  remember(ctx.snapshot.pvcs, [r.value]);
  const pvc = r.value;
  const details: Record<string, unknown> = {
    pvc: `${namespace}/${name}`,
    phase: pvc.status?.phase,
    storageClass: pvc.spec?.storageClassName,
    requested: pvc.spec?.resources?.requests?.storage,
    capacity: pvc.status?.capacity?.storage,
    accessModes: pvc.spec?.accessModes,
    volumeName: pvc.spec?.volumeName,
    conditions: (pvc.status?.conditions ?? []).map((c) => `${c.type}=${c.status}${c.message ? `: ${c.message}` : ''}`),
  };
  const [pv, sc] = await Promise.all([
    pvc.spec?.volumeName ? ctx.reader.read((o) => ctx.clients.core.readPersistentVolume({ name: pvc.spec?.volumeName ?? '' }, o)) : null,
    pvc.spec?.storageClassName ? ctx.reader.read((o) => ctx.clients.storage.readStorageClass({ name: pvc.spec?.storageClassName ?? '' }, o)) : null,
  ]);
  if (pv?.ok) {
    remember(ctx.snapshot.pvs, [pv.value]);
    details.persistentVolume = { phase: pv.value.status?.phase, capacity: pv.value.spec?.capacity?.storage, reclaimPolicy: pv.value.spec?.persistentVolumeReclaimPolicy, message: pv.value.status?.message };
  } else if (pv) details.persistentVolume = `could not read: ${pv.error}`;
  if (sc?.ok) {
    remember(ctx.snapshot.storageClasses, [sc.value]);
    details.storageClassDetail = { provisioner: sc.value.provisioner, volumeBindingMode: sc.value.volumeBindingMode, allowVolumeExpansion: sc.value.allowVolumeExpansion };
  } else if (sc) details.storageClassDetail = `could not read: ${sc.error}`;
  addItem(ctx, {
    id,
    title: `PersistentVolumeClaim ${name}`,
    source: { kind: 'PersistentVolumeClaim', namespace, name, path: r.path },
    text: toYaml(compact(details)),
    truncated: false,
  });
}
