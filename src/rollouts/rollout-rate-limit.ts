/**
 * Whether a failed rollout may open an investigation, given how many rollout
 * investigations opened in the last hour. A bad cluster-wide change (a broken base
 * image, a removed registry secret) fails every Deployment at once; past the limits
 * failures are still recorded, with a note, but open nothing.
 */
export type RolloutLimits = { perNamespacePerHour: number; perClusterPerHour: number };
export type RateDecision = { allowed: true } | { allowed: false; note: string };

export function rolloutRateDecision(opened: { namespace: number; cluster: number }, limits: RolloutLimits, namespace: string): RateDecision {
  if (opened.cluster >= limits.perClusterPerHour) {
    return { allowed: false, note: `suppressed: ${opened.cluster} rollout investigations in this cluster in the last hour (limit ${limits.perClusterPerHour})` };
  }
  if (opened.namespace >= limits.perNamespacePerHour) {
    return { allowed: false, note: `suppressed: ${opened.namespace} rollout investigations in namespace ${namespace} in the last hour (limit ${limits.perNamespacePerHour})` };
  }
  return { allowed: true };
}
