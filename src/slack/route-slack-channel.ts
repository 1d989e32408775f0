/** Where a channel choice came from, shown in logs so operators can see why. */
export type ChannelSource = 'namespace-annotation' | 'alert-label' | 'default';

export const CHANNEL_ANNOTATION = 'k8flex/slack-channel';
export const TEAM_ANNOTATION = 'k8flex/team';
export const CHANNEL_LABEL = 'slack_channel';

/**
 * The channel an incident goes to; first match wins: the namespace's
 * `k8flex/slack-channel` annotation, the alert's `slack_channel` label, then
 * `SLACK_DEFAULT_CHANNEL`. Null when none is set.
 */
export function routeSlackChannel(input: {
  namespaceAnnotations: Record<string, string>;
  labels: Record<string, string>;
  defaultChannel: string | null;
}): { channel: string; source: ChannelSource } | null {
  const fromNamespace = input.namespaceAnnotations[CHANNEL_ANNOTATION]?.trim();
  if (fromNamespace) return { channel: fromNamespace, source: 'namespace-annotation' };
  const fromLabel = input.labels[CHANNEL_LABEL]?.trim();
  if (fromLabel) return { channel: fromLabel, source: 'alert-label' };
  const fallback = input.defaultChannel?.trim();
  return fallback ? { channel: fallback, source: 'default' } : null;
}
