/**
 * Injected failures: a request whose path matches `path` (a regular expression, as
 * in faults.yaml) is delayed by `delayMs` and, when `status` is set, answered with a
 * Kubernetes Status object of that code instead of the real response.
 */
export type Fault = { path: string | RegExp; status?: number; delayMs?: number; times?: number };

export function findFault(faults: Fault[], path: string): Fault | undefined {
  const fault = faults.find((f) => (typeof f.path === 'string' ? new RegExp(f.path) : f.path).test(path) && (f.times ?? 1) > 0);
  if (fault && fault.times !== undefined) fault.times -= 1;
  return fault;
}
