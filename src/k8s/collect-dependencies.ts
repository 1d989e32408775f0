import type * as k8s from '@kubernetes/client-node';
import { matchLogPatterns, targetOfLine } from '../diagnose/log-patterns.js';
import type { ResolvedTarget } from '../domain/types.js';
import { addFailure, addItem, remember, type CollectContext } from './collect-context.js';
import { selectsPod } from './collect-network.js';
import { podsBehindService } from './collect-service.js';
import { compact, toYaml } from './to-yaml.js';

/** At most this many distinct dependencies are traced per incident. */
const MAX_DEPENDENCIES = 3;

type Dependency = { host: string; port: string | null; line: string };

/**
 * The Services the target's own logs fail to reach (timeouts, refused connections),
 * read with the pods behind them and the NetworkPolicies that select those pods:
 * a client that times out is often stopped at its dependency's door. Runs after the
 * logs are read; only Services in the cluster are followed, never outside hosts.
 */
export async function collectDependencies(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  const namespace = target.namespace;
  if (!namespace) return;
  const deps = failingDependencies(ctx, target);
  await Promise.all(deps.slice(0, MAX_DEPENDENCIES).map((d) => traceDependency(ctx, namespace, d)));
}

function failingDependencies(ctx: CollectContext, target: ResolvedTarget): Dependency[] {
  const logs = ctx.snapshot.logs.filter((l) => l.namespace === target.namespace && (!target.pod || l.pod === target.pod));
  const seen = new Map<string, Dependency>();
  for (const log of logs) {
    for (const m of matchLogPatterns(log.text)) {
      if (m.kind !== 'timeout' && m.kind !== 'dependency-connection-refused') continue;
      const t = targetOfLine(m.line);
      if (t && !seen.has(t.host)) seen.set(t.host, { ...t, line: m.line });
    }
  }
  return [...seen.values()];
}

/** `cart-api`, `cart-api.shop`, `cart-api.shop.svc.cluster.local` → the Service's name and namespace. */
function serviceName(host: string, namespace: string): { name: string; namespace: string } | null {
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(host)) return null;
  const parts = host.split('.');
  if (parts.length > 2 && parts[2] !== 'svc') return null;
  return { name: parts[0] ?? host, namespace: parts[1] ?? namespace };
}

async function findService(ctx: CollectContext, namespace: string, dep: Dependency): Promise<k8s.V1Service | null> {
  const { core } = ctx.clients;
  const named = serviceName(dep.host, namespace);
  if (named) {
    const r = await ctx.reader.read((o) => core.readNamespacedService(named, o));
    return r.ok ? r.value : null;
  }
  // A ClusterIP: the Service is looked for in the client's own namespace.
  const r = await ctx.reader.read((o) => core.listNamespacedService({ namespace }, o));
  if (!r.ok) {
    addFailure(ctx, `namespace/${namespace}/services`, `services in ${namespace}`, { kind: 'Service', namespace }, r);
    return null;
  }
  return r.value.items.find((s) => (s.spec?.clusterIPs ?? [s.spec?.clusterIP]).includes(dep.host)) ?? null;
}

async function traceDependency(ctx: CollectContext, clientNamespace: string, dep: Dependency): Promise<void> {
  const service = await findService(ctx, clientNamespace, dep);
  if (!service?.metadata?.name) {
    ctx.missing.push(`${dep.host}${dep.port ? `:${dep.port}` : ''}, which the logs fail to reach, is not a Service in ${clientNamespace}`);
    return;
  }
  const namespace = service.metadata.namespace ?? clientNamespace;
  const name = service.metadata.name;
  remember(ctx.snapshot.services, [service]);
  const id = `dependency/${namespace}/${name}`;
  const [backends, policies] = await Promise.all([
    podsBehindService(ctx, service),
    ctx.reader.read((o) => ctx.clients.networking.listNamespacedNetworkPolicy({ namespace }, o)),
  ]);
  if (!policies.ok) addFailure(ctx, `${id}/networkpolicies`, `NetworkPolicies in ${namespace}`, { kind: 'NetworkPolicy', namespace }, policies);
  const selecting = policies.ok
    ? policies.value.items.filter((p) => backends.some((b) => selectsPod(p.spec?.podSelector, b.metadata?.labels ?? {})))
    : [];
  remember(ctx.snapshot.networkPolicies, selecting);
  addItem(ctx, {
    id,
    title: `Service ${namespace}/${name}, which the logs fail to reach`,
    source: { kind: 'Service', namespace, name, path: `/api/v1/namespaces/${namespace}/services/${name}` },
    text: toYaml(
      compact({
        logLine: dep.line,
        clusterIP: service.spec?.clusterIP,
        ports: (service.spec?.ports ?? []).map((p) => `${p.port} → ${String(p.targetPort ?? p.port)}`),
        selector: service.spec?.selector,
        pods: backends.map((p) => `${p.metadata?.name ?? ''} phase=${p.status?.phase ?? '?'} ready=${(p.status?.containerStatuses ?? []).every((c) => c.ready)}`),
        networkPolicies: selecting.map((p) =>
          compact({
            name: p.metadata?.name,
            policyTypes: p.spec?.policyTypes,
            ingressFrom: (p.spec?.ingress ?? []).map((r) => (r._from ?? []).map((f) => compact({ podSelector: f.podSelector, namespaceSelector: f.namespaceSelector, ipBlock: f.ipBlock }))),
          }),
        ),
      }),
    ),
    truncated: false,
  });
}
