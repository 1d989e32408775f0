import * as k8s from '@kubernetes/client-node';

/**
 * One API read, bounded and counted. The client's request middleware gives each read
 * its own deadline (and the job's abort signal) and records the exact path it asked
 * for, so every evidence item can name its source. A failed read is returned as
 * data — `{ ok: false, error }` — never thrown: partial failure is data.
 */
export type ReadOk<T> = { ok: true; value: T; path: string };
export type ReadFailed = { ok: false; error: string; status: number | null; path: string };
export type ReadResult<T> = ReadOk<T> | ReadFailed;

export type ReadOptions = k8s.ConfigurationOptions;

export type KubeReader = {
  read<T>(call: (options: ReadOptions) => Promise<T>): Promise<ReadResult<T>>;
  calls(): number;
  /** Reads the API server answered (successfully or with an HTTP error status). */
  answered(): number;
};

function statusMessage(body: unknown): string | null {
  const text = typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body);
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : null;
  } catch {
    return text.trim() === '' ? null : text.slice(0, 300);
  }
}

function describeError(error: unknown, timeoutMs: number, timedOut: boolean): { error: string; status: number | null } {
  if (timedOut) return { error: `timed out after ${timeoutMs} ms`, status: null };
  const e = error as { code?: unknown; body?: unknown; name?: string; message?: string };
  if (typeof e.code === 'number') {
    const message = statusMessage(e.body);
    const label = e.code === 403 ? 'forbidden' : e.code === 404 ? 'not found' : `HTTP ${e.code}`;
    return { error: message ? `${label}: ${message}` : label, status: e.code };
  }
  if (e.name === 'AbortError') return { error: 'aborted', status: null };
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return { error: `${e.message ?? String(error)}${cause ? ` (${cause})` : ''}`, status: null };
}

export function makeKubeReader(deps: { timeoutMs: number; signal?: AbortSignal }): KubeReader {
  let calls = 0;
  let answered = 0;
  return {
    calls: () => calls,
    answered: () => answered,
    async read(call) {
      calls += 1;
      const deadline = AbortSignal.timeout(deps.timeoutMs);
      const signal = deps.signal ? AbortSignal.any([deadline, deps.signal]) : deadline;
      let path = '';
      const middleware: k8s.ObservableMiddleware = {
        pre: (context) => {
          const url = new URL(context.getUrl());
          path = `${url.pathname}${url.search}`;
          context.setSignal(signal);
          return new k8s.Observable(Promise.resolve(context));
        },
        post: (context) => new k8s.Observable(Promise.resolve(context)),
      };
      const options: ReadOptions = { middleware: [middleware], middlewareMergeStrategy: 'append' };
      try {
        const value = await call(options);
        answered += 1;
        return { ok: true, value, path };
      } catch (error) {
        const failed = describeError(error, deps.timeoutMs, deadline.aborted);
        if (failed.status !== null) answered += 1;
        return { ok: false, ...failed, path };
      }
    },
  };
}
