import type * as k8s from '@kubernetes/client-node';
import type { ResolvedTarget } from '../domain/types.js';
import { addFailure, addItem, remember, type CollectContext } from './collect-context.js';
import { targetPod } from './collect-pod.js';
import { selectorString } from './read-workload.js';
import { compact, toYaml } from './to-yaml.js';

/**
 * A Service and what backs it: its selector against the labels of the namespace's
 * pods, EndpointSlice ready/not-ready counts, and target ports against the ports
 * the selected containers expose.
 */
export async function collectService(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  const namespace = target.namespace;
  if (!namespace) {
    ctx.missing.push('no namespace could be resolved: Services and endpoints were not read');
    return;
  }
  const [services, pods] = await Promise.all([
    target.service ? Promise.resolve(ctx.snapshot.services.filter((s) => s.metadata?.name === target.service)) : servicesForPod(ctx, target),
    ctx.reader.read((o) => ctx.clients.core.listNamespacedPod({ namespace }, o)),
  ]);
  if (!pods.ok) addFailure(ctx, `namespace/${namespace}/pods`, `pods in ${namespace}`, { kind: 'Pod', namespace }, pods);
  const candidates = pods.ok ? pods.value.items : [];
  if (services.length === 0) {
    ctx.missing.push(`no Service found for ${target.pod ?? target.workload?.name ?? namespace}`);
    return;
  }
  await Promise.all(services.map((s) => describeService(ctx, s, candidates)));
}

async function servicesForPod(ctx: CollectContext, target: ResolvedTarget): Promise<k8s.V1Service[]> {
  const namespace = target.namespace ?? '';
  const pod = targetPod(ctx, target);
  if (!pod) return [];
  const r = await ctx.reader.read((o) => ctx.clients.core.listNamespacedService({ namespace }, o));
  if (!r.ok) {
    addFailure(ctx, `namespace/${namespace}/services`, `services in ${namespace}`, { kind: 'Service', namespace }, r);
    return [];
  }
  const labels = pod.metadata?.labels ?? {};
  const matching = r.value.items.filter((s) => {
    const selector = s.spec?.selector ?? {};
    return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
  remember(ctx.snapshot.services, matching);
  return matching;
}

function selects(selector: Record<string, string>, pod: k8s.V1Pod): boolean {
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

async function describeService(ctx: CollectContext, service: k8s.V1Service, candidates: k8s.V1Pod[]): Promise<void> {
  const namespace = service.metadata?.namespace ?? '';
  const name = service.metadata?.name ?? '';
  const selector = service.spec?.selector ?? {};
  const slices = await ctx.reader.read((o) =>
    ctx.clients.discovery.listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${name}` }, o),
  );
  if (slices.ok) remember(ctx.snapshot.endpointSlices, slices.value.items);
  else addFailure(ctx, `service/${namespace}/${name}/endpointslices`, `EndpointSlices of ${name}`, { kind: 'EndpointSlice', namespace, name }, slices);

  const selected = Object.keys(selector).length > 0 ? candidates.filter((p) => selects(selector, p)) : [];
  remember(ctx.snapshot.pods, selected);
  const endpoints = slices.ok ? slices.value.items.flatMap((s) => s.endpoints ?? []) : [];
  const ready = endpoints.filter((e) => e.conditions?.ready !== false).length;
  const containerPorts = selected.flatMap((p) => (p.spec?.containers ?? []).flatMap((c) => c.ports ?? []));
  const ports = (service.spec?.ports ?? []).map((p) => {
    const targetPort = p.targetPort ?? p.port;
    const found = containerPorts.some((cp) => (typeof targetPort === 'number' ? cp.containerPort === targetPort : cp.name === targetPort));
    return `${p.name ? `${p.name} ` : ''}${p.port} → ${String(targetPort)}${selected.length > 0 ? (found ? ' (container port exists)' : ' (NO selected container exposes this port)') : ''}`;
  });
  const nearMisses =
    selected.length === 0
      ? candidates
          .filter((p) => Object.keys(selector).some((k) => p.metadata?.labels?.[k] !== undefined))
          .slice(0, 10)
          .map((p) => ({
            pod: p.metadata?.name,
            labels: Object.fromEntries(Object.keys(selector).map((k) => [k, p.metadata?.labels?.[k] ?? '(absent)'])),
          }))
      : [];
  addItem(ctx, {
    id: `service/${namespace}/${name}`,
    title: `Service ${name}: selector, ports and endpoints`,
    source: { kind: 'Service', namespace, name, path: `/api/v1/namespaces/${namespace}/services/${name}` },
    text: toYaml(
      compact({
        service: `${namespace}/${name}`,
        type: service.spec?.type,
        selector,
        ports,
        selectedPods: selected.map((p) => {
          const statuses = p.status?.containerStatuses ?? [];
          return `${p.metadata?.name ?? ''} phase=${p.status?.phase ?? '?'} ready=${statuses.length > 0 && statuses.every((s) => s.ready)}`;
        }),
        endpoints: slices.ok ? { slices: slices.value.items.length, ready, notReady: endpoints.length - ready } : 'could not be read',
        podsWithSomeSelectorLabels: nearMisses,
        note: selected.length === 0 ? `the selector matches none of the ${candidates.length} pods in ${namespace}` : undefined,
      }),
    ),
    truncated: false,
  });
}

/** The pods a Service's selector picks, remembered in the snapshot; a failed read becomes an evidence item. */
export async function podsBehindService(ctx: CollectContext, service: k8s.V1Service): Promise<k8s.V1Pod[]> {
  const namespace = service.metadata?.namespace ?? '';
  const labelSelector = selectorString({ matchLabels: service.spec?.selector ?? {} });
  if (!labelSelector) return [];
  const r = await ctx.reader.read((o) => ctx.clients.core.listNamespacedPod({ namespace, labelSelector }, o));
  if (!r.ok) {
    addFailure(ctx, `service/${namespace}/${service.metadata?.name ?? ''}/pods`, `pods behind ${service.metadata?.name ?? 'the Service'}`, { kind: 'Pod', namespace }, r);
    return [];
  }
  remember(ctx.snapshot.pods, r.value.items);
  return r.value.items;
}
