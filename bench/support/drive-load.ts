/**
 * A small HTTP load driver whose every request has a known outcome, so a bench can
 * prove that what was acknowledged was stored. `send(id)` performs one request and
 * says whether it was acknowledged (2xx).
 *
 * Closed loop (no `ratePerSecond`): `connections` senders each send the next request
 * as soon as the previous one is answered, for `seconds`; this finds the sustained
 * maximum. Open loop (`ratePerSecond`): request k is due at start + k / rate; a sender
 * that is free takes the next due slot, and latency counts from the slot's due time,
 * so time a request waits because the service is behind counts (no coordinated
 * omission). Either way, requests in flight at the deadline are awaited, never
 * abandoned.
 */
export type LoadResult = {
  seconds: number;
  sent: number;
  /** Ids whose request was acknowledged. */
  acked: number[];
  failed: number;
  latencyMs: { p50: number; p99: number; max: number };
};

export async function driveLoad(options: {
  send: (id: number) => Promise<boolean>;
  nextId: () => number;
  seconds: number;
  connections: number;
  ratePerSecond?: number;
}): Promise<LoadResult> {
  const { send, nextId, seconds, connections, ratePerSecond } = options;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const latencies: number[] = [];
  const acked: number[] = [];
  let failed = 0;
  let slot = 0;

  async function sender(): Promise<void> {
    for (;;) {
      let due = performance.now();
      if (ratePerSecond) {
        due = start + (slot++ * 1000) / ratePerSecond;
        if (due >= deadline) return;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      } else if (due >= deadline) return;
      const id = nextId();
      const ok = await send(id).catch(() => false);
      latencies.push(performance.now() - due);
      if (ok) acked.push(id);
      else failed++;
    }
  }
  await Promise.all(Array.from({ length: connections }, sender));

  latencies.sort((a, b) => a - b);
  const at = (q: number) => round1(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    seconds: (performance.now() - start) / 1000,
    sent: latencies.length,
    acked,
    failed,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: round1(latencies.at(-1) ?? 0) },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
