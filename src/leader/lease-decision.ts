/**
 * What a candidate does with the Lease it just read. Expiry is judged the way
 * client-go does: by how long this process has seen the record unchanged (on its own
 * clock), never by comparing its clock with the holder's renewTime, so clock skew
 * between nodes cannot hand the lease to two replicas.
 */
export type LeaseRecord = { holder: string | null; renewTime: string | null; resourceVersion: string };
export type Observation = { key: string; at: number };
export type LeaseAction = 'create' | 'renew' | 'takeover' | 'wait';

export function observe(record: LeaseRecord, previous: Observation | null, now: number): Observation {
  const key = `${record.holder ?? ''}|${record.renewTime ?? ''}|${record.resourceVersion}`;
  return previous?.key === key ? previous : { key, at: now };
}

export function leaseDecision(record: LeaseRecord | null, observation: Observation | null, identity: string, now: number, leaseDurationMs: number): LeaseAction {
  if (!record) return 'create';
  if (record.holder === identity) return 'renew';
  if (!record.holder) return 'takeover';
  if (observation && now - observation.at >= leaseDurationMs) return 'takeover';
  return 'wait';
}
