import type { TriageOwner } from '../domain/types.js';
import type { CauseId } from './causes.js';

/** Who usually has to act on a cause. Anything not listed is the application team's. */
const PLATFORM: ReadonlySet<CauseId> = new Set<CauseId>([
  'registry-unreachable',
  'insufficient-cpu',
  'insufficient-memory',
  'untolerated-taint',
  'too-many-pods',
  'quota-exceeded',
  'unschedulable',
  'node-not-ready',
  'node-unreachable',
  'node-memory-pressure',
  'node-disk-pressure',
  'node-pid-pressure',
  'pod-evicted',
  'pvc-no-storageclass',
  'pvc-provisioning-failed',
  'volume-mount-failed',
  'volume-filling-up',
  'dns-resolution-failed',
  'hpa-maxed-out',
]);
const SECURITY: ReadonlySet<CauseId> = new Set<CauseId>([
  'image-pull-unauthorized',
  'certificate-invalid',
  'permission-denied',
  'network-policy-deny',
]);

export function causeOwner(cause: CauseId): TriageOwner {
  if (SECURITY.has(cause)) return 'security';
  if (PLATFORM.has(cause)) return 'platform';
  return 'application';
}
