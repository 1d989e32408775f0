/**
 * What a namespace's `k8flex/*` annotations say about its rollouts: whether to watch
 * it (`k8flex/watch: "false"` opts out), where to post (`k8flex/slack-channel`), who
 * owns it (`k8flex/team`), and every other `k8flex/*` key kept as-is.
 */
export type NamespaceMetadata = { watch: boolean; slackChannel: string | null; team: string | null; extra: Record<string, string> };

const PREFIX = 'k8flex/';

export function namespaceMetadata(annotations: Record<string, string> | null | undefined): NamespaceMetadata {
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (key.startsWith(PREFIX) && !['k8flex/watch', 'k8flex/slack-channel', 'k8flex/team'].includes(key)) extra[key] = value;
  }
  return {
    watch: (annotations?.['k8flex/watch'] ?? '').trim().toLowerCase() !== 'false',
    slackChannel: annotations?.['k8flex/slack-channel']?.trim() || null,
    team: annotations?.['k8flex/team']?.trim() || null,
    extra,
  };
}
