import type * as k8s from '@kubernetes/client-node';
import type { ResolvedTarget } from '../domain/types.js';
import { addFailure, addItem, remember, type CollectContext } from './collect-context.js';
import { formatEvents, sortEvents } from './format-events.js';
import { summarizeNode } from './summarize-node.js';

/** A node's conditions, allocatable vs requested, taints, its events and its most troubled pods. */
export async function collectNode(ctx: CollectContext, target: ResolvedTarget): Promise<void> {
  const name = target.node;
  if (!name) {
    ctx.missing.push('no node could be resolved for this incident: node conditions were not read');
    return;
  }
  const { core } = ctx.clients;
  const [node, pods, events] = await Promise.all([
    ctx.reader.read((o) => core.readNode({ name }, o)),
    ctx.reader.read((o) => core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${name}` }, o)),
    ctx.reader.read((o) => core.listEventForAllNamespaces({ fieldSelector: `involvedObject.kind=Node,involvedObject.name=${name}` }, o)),
  ]);
  const podsOnNode = pods.ok ? pods.value.items : [];
  if (node.ok) {
    remember(ctx.snapshot.nodes, [node.value]);
    addItem(ctx, {
      id: `node/${name}/status`,
      title: `Node ${name}: conditions, capacity and taints`,
      source: { kind: 'Node', name, path: node.path },
      text: summarizeNode(node.value, pods.ok ? podsOnNode : undefined),
      truncated: false,
    });
  } else addFailure(ctx, `node/${name}/status`, `node ${name}`, { kind: 'Node', name }, node);

  if (events.ok) {
    const list = sortEvents(events.value.items).slice(0, ctx.limits.eventLimit);
    remember(ctx.snapshot.events, list);
    addItem(ctx, {
      id: `node/${name}/events`,
      title: `Events of node ${name}`,
      source: { kind: 'Event', name, path: events.path },
      text: formatEvents(list),
      truncated: events.value.items.length > list.length,
    });
  } else addFailure(ctx, `node/${name}/events`, `events of node ${name}`, { kind: 'Event', name }, events);

  if (!pods.ok) return addFailure(ctx, `node/${name}/pods`, `pods on node ${name}`, { kind: 'Pod' }, pods);
  remember(ctx.snapshot.pods, podsOnNode);
  const top = rankPods(podsOnNode).slice(0, 10);
  addItem(ctx, {
    id: `node/${name}/pods`,
    title: `Pods on node ${name} (most restarts and evictions first)`,
    source: { kind: 'Pod', name, path: pods.path },
    text:
      top
        .map((p) => {
          const restarts = (p.status?.containerStatuses ?? []).reduce((s, c) => s + c.restartCount, 0);
          return `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''} phase=${p.status?.phase ?? '?'}${p.status?.reason ? ` reason=${p.status.reason}` : ''} restarts=${restarts} qos=${p.status?.qosClass ?? '?'}`;
        })
        .join('\n') || '(no pods)',
    truncated: podsOnNode.length > top.length,
  });
}

function rankPods(pods: k8s.V1Pod[]): k8s.V1Pod[] {
  const score = (p: k8s.V1Pod) =>
    (p.status?.reason === 'Evicted' ? 1000 : 0) + (p.status?.containerStatuses ?? []).reduce((s, c) => s + c.restartCount, 0);
  return [...pods].sort((a, b) => score(b) - score(a));
}
