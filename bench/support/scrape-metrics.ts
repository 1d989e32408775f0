/**
 * Reads a service's Prometheus text exposition (/metrics) once and returns a lookup:
 * a sample summed over its label sets, NaN when absent. A read also makes prom-client
 * reset its event-loop delay histogram, so two scrapes bracket a phase.
 */
export async function scrapeMetrics(serviceUrl: string): Promise<(name: string) => number> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  return (name) => sampleOf(text, name);
}

function sampleOf(exposition: string, name: string): number {
  let found = false;
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    found = true;
    sum += Number(rest.slice(rest.lastIndexOf(' ') + 1));
  }
  return found ? sum : Number.NaN;
}
