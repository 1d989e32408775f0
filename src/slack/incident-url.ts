/** The incident's page in the dashboard, or null when no public URL is configured. */
export function incidentUrl(publicUrl: string | null, incidentId: string): string | null {
  if (!publicUrl) return null;
  return `${publicUrl.replace(/\/+$/, '')}/incidents/${encodeURIComponent(incidentId)}`;
}
