import type * as k8s from '@kubernetes/client-node';
import type { ResolvedTarget } from '../domain/types.js';
import { redactText } from '../redact/redact-text.js';
import { reduceLog } from '../redact/reduce-log.js';
import { addFailure, addItem, remember, type CollectContext } from './collect-context.js';
import { formatEvents, sortEvents } from './format-events.js';
import { missingFromEvents, podReferences } from './secret-references.js';
import { summarizePod } from './summarize-pod.js';
import { compact, toYaml } from './to-yaml.js';

/**
 * The target pod: its spec and status summary, its events, and — for crash-type
 * categories — every container's log (current, and previous when the container has
 * restarted) and the ConfigMaps/Secrets it references (names and key names only).
 */
export type PodParts = { logs: boolean; references: boolean };

export function targetPod(ctx: CollectContext, target: ResolvedTarget): k8s.V1Pod | undefined {
  return ctx.snapshot.pods.find((p) => p.metadata?.name === target.pod && p.metadata?.namespace === target.namespace);
}

export async function collectPod(ctx: CollectContext, target: ResolvedTarget, parts: PodParts): Promise<void> {
  const pod = targetPod(ctx, target);
  if (!pod || !target.namespace || !target.pod) {
    ctx.missing.push('no pod could be resolved for this incident: pod status, events and logs were not read');
    return;
  }
  const namespace = target.namespace;
  const name = target.pod;
  addItem(ctx, {
    id: `pod/${namespace}/${name}/status`,
    title: `Pod ${name}: spec and status`,
    source: { kind: 'Pod', namespace, name, path: `/api/v1/namespaces/${namespace}/pods/${name}` },
    text: summarizePod(pod),
    truncated: false,
  });
  const events = collectPodEvents(ctx, namespace, name);
  const logs = parts.logs ? collectLogs(ctx, pod) : Promise.resolve();
  await Promise.all([events, logs]);
  if (parts.references) await collectReferences(ctx, pod);
}

async function collectPodEvents(ctx: CollectContext, namespace: string, name: string): Promise<void> {
  const fieldSelector = `involvedObject.name=${name},involvedObject.kind=Pod`;
  const r = await ctx.reader.read((o) => ctx.clients.core.listNamespacedEvent({ namespace, fieldSelector }, o));
  const id = `pod/${namespace}/${name}/events`;
  if (!r.ok) return addFailure(ctx, id, `events of pod ${name}`, { kind: 'Event', namespace, name }, r);
  const events = sortEvents(r.value.items).slice(0, ctx.limits.eventLimit);
  remember(ctx.snapshot.events, events);
  addItem(ctx, {
    id,
    title: `Events of pod ${name}`,
    source: { kind: 'Event', namespace, name, path: r.path },
    text: formatEvents(events),
    truncated: r.value.items.length > events.length,
  });
}

async function collectLogs(ctx: CollectContext, pod: k8s.V1Pod): Promise<void> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
  const reads: Array<{ container: string; previous: boolean }> = [];
  for (const container of containers) {
    const status = statuses.find((s) => s.name === container);
    const hasRun = (status?.restartCount ?? 0) > 0 || Boolean(status?.lastState?.terminated);
    // A container that never started has no log (the API answers 400); one in
    // CrashLoopBackOff still serves its last run as the current log.
    if (!status?.state?.waiting || hasRun) reads.push({ container, previous: false });
    if (hasRun) reads.push({ container, previous: true });
  }
  await Promise.all(reads.map((r) => collectLog(ctx, namespace, name, r.container, r.previous)));
}

async function collectLog(ctx: CollectContext, namespace: string, name: string, container: string, previous: boolean): Promise<void> {
  const { logTailLines, logMaxBytes } = ctx.limits;
  const r = await ctx.reader.read((o) =>
    ctx.clients.core.readNamespacedPodLog(
      // limitBytes bounds the transfer; reduceLog then fits the tail into the prompt budget.
      { name, namespace, container, previous, tailLines: logTailLines, limitBytes: logMaxBytes * 4 },
      o,
    ),
  );
  const id = `pod/${namespace}/${name}/logs/${container}/${previous ? 'previous' : 'current'}`;
  const title = `Logs of ${name}/${container} (${previous ? 'previous' : 'current'} container)`;
  if (!r.ok) return addFailure(ctx, id, title, { kind: 'Pod', namespace, name }, r);
  const raw = typeof r.value === 'string' ? r.value : String(r.value);
  const redacted = redactText(raw);
  const lines = raw.split('\n').filter(Boolean).length;
  const reduced = reduceLog(redacted, { maxBytes: logMaxBytes });
  ctx.snapshot.logs.push({ namespace, pod: name, container, previous, text: redacted, truncated: reduced.truncated || lines >= logTailLines });
  addItem(
    ctx,
    {
      id,
      title,
      source: { kind: 'Pod', namespace, name, path: r.path },
      text: reduced.text === '' ? '(empty log)' : reduced.text,
      truncated: reduced.truncated || lines >= logTailLines,
    },
    raw.length,
  );
}

async function collectReferences(ctx: CollectContext, pod: k8s.V1Pod): Promise<void> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const refs = podReferences(pod);
  const missingSecrets = missingFromEvents('secret', ctx.snapshot.events);
  const missingConfigMaps = missingFromEvents('configmap', ctx.snapshot.events);
  const configMaps = await Promise.all(
    refs.configMaps.map(async (ref) => {
      const r = await ctx.reader.read((o) => ctx.clients.core.readNamespacedConfigMap({ name: ref.name, namespace }, o));
      if (r.ok) {
        // Key names only: values may hold configuration the model does not need.
        const keys = [...Object.keys(r.value.data ?? {}), ...Object.keys(r.value.binaryData ?? {})].sort();
        const absent = ref.keys.filter((k) => !keys.includes(k));
        return { ...ref, keys, ...(absent.length > 0 ? { missingKeys: absent } : {}) };
      }
      if (r.status === 404) return { ...ref, missing: true };
      addFailure(ctx, `configmap/${namespace}/${ref.name}/read`, `ConfigMap ${ref.name}`, { kind: 'ConfigMap', namespace, name: ref.name }, r);
      return { ...ref, ...(missingConfigMaps.has(ref.name) ? { missing: true } : {}) };
    }),
  );
  const secrets = refs.secrets.map((ref) => (missingSecrets.has(ref.name) ? { ...ref, missing: true } : ref));
  ctx.snapshot.configMaps.push(...configMaps.map(({ namespace: ns, name: n, keys, missing }) => ({ namespace: ns, name: n, keys, ...(missing ? { missing } : {}) })));
  ctx.snapshot.secrets.push(...secrets);
  if (configMaps.length === 0 && secrets.length === 0) return;
  addItem(ctx, {
    id: `pod/${namespace}/${name}/references`,
    title: `ConfigMaps and Secrets referenced by ${name}`,
    source: { kind: 'Pod', namespace, name, path: `/api/v1/namespaces/${namespace}/pods/${name}` },
    text: toYaml(
      compact({
        configMaps: configMaps.map((c) => ({ name: c.name, keys: c.keys, missing: 'missing' in c ? c.missing : undefined, missingKeys: 'missingKeys' in c ? c.missingKeys : undefined })),
        secrets: secrets.map((s) => ({
          name: s.name,
          referencedKeys: s.keys,
          missing: s.missing ? true : undefined,
        })),
        note: secrets.length > 0 ? 'Secrets are never read: names and key names come from the pod spec; "missing" from events.' : undefined,
      }),
    ),
    truncated: false,
  });
}
