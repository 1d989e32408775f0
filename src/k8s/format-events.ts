import type * as k8s from '@kubernetes/client-node';

/** Newest first, one line each: `<time> <type> <reason> x<count> <Kind>/<name>: <message>`. */
export function sortEvents(events: k8s.CoreV1Event[]): k8s.CoreV1Event[] {
  const time = (e: k8s.CoreV1Event) => (e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp)?.valueOf() ?? 0;
  return [...events].sort((a, b) => Number(time(b)) - Number(time(a)));
}

export function formatEvents(events: k8s.CoreV1Event[]): string {
  if (events.length === 0) return '(no events)';
  return sortEvents(events)
    .map((e) => {
      const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
      const when = at instanceof Date ? at.toISOString() : at ? String(at) : '-';
      const count = e.count && e.count > 1 ? ` x${e.count}` : '';
      const object = `${e.involvedObject.kind ?? '?'}/${e.involvedObject.name ?? '?'}`;
      return `${when} ${e.type ?? 'Normal'} ${e.reason ?? ''}${count} ${object}: ${(e.message ?? '').trim()}`;
    })
    .join('\n');
}
