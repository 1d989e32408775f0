/**
 * The incident key of a Deployment's failed rollouts. It differs from alert keys
 * (`<cluster>/<alertname>/...`, src/intake/incident-key.ts) because "rollout" is not an
 * alert name; alerts join a rollout incident through attachAlertsToRollout instead.
 */
export function rolloutGroupKey(cluster: string, namespace: string, deployment: string): string {
  return `${cluster}/rollout/${namespace}/Deployment/${deployment}`;
}
