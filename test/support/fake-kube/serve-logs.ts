import type { ObjectStore } from './object-store.js';
import type { ResourceInfo } from './resources.js';
import { logKey } from './load-fixture-dir.js';

type Reply = { status: number; contentType: string; body: string } | { status: number; error: string };

type PodLike = {
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: { containerStatuses?: { name: string; state?: { waiting?: { reason?: string } } }[] };
};

/**
 * `GET .../pods/<name>/log` with `container`, `previous`, `tailLines` and
 * `limitBytes`, answering as the kubelet does when a log does not exist.
 */
export function serveLogs(
  store: ObjectStore,
  pods: ResourceInfo,
  logs: Record<string, string>,
  namespace: string,
  name: string,
  query: URLSearchParams,
): Reply {
  const pod = store.get(pods, namespace, name) as (PodLike & { metadata: { name: string } }) | undefined;
  if (!pod) return { status: 404, error: `pods "${name}" not found` };
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  const container = query.get('container') ?? (names.length === 1 ? names[0] : undefined);
  if (!container) {
    return { status: 400, error: `a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]` };
  }
  if (!names.includes(container)) return { status: 400, error: `container ${container} is not valid for pod ${name}` };
  const previous = query.get('previous') === 'true';
  let text = logs[logKey(namespace, name, container, previous)];
  if (text === undefined) {
    if (previous) return { status: 400, error: `previous terminated container "${container}" in pod "${name}" not found` };
    const waiting = pod.status?.containerStatuses?.find((s) => s.name === container)?.state?.waiting;
    if (waiting) return { status: 400, error: `container "${container}" in pod "${name}" is waiting to start: ${waiting.reason ?? 'unknown'}` };
    text = '';
  }
  const tail = Number(query.get('tailLines') ?? NaN);
  if (Number.isInteger(tail) && tail >= 0) {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    text = lines.slice(Math.max(0, lines.length - tail)).map((l) => `${l}\n`).join('');
  }
  const limit = Number(query.get('limitBytes') ?? NaN);
  if (Number.isInteger(limit) && limit > 0) text = Buffer.from(text).subarray(0, limit).toString('utf8');
  return { status: 200, contentType: 'text/plain', body: text };
}
