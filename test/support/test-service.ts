import { startService, type Service } from '../../src/main.js';

/** The whole service in-process: embedded in-memory database, random ports, silent logs. */
export async function startTestService(env: Record<string, string> = {}): Promise<Service> {
  return startService({
    PORT: '0',
    HOST: '127.0.0.1',
    EMBEDDED_DB_PORT: '0',
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    JOB_POLL_INTERVAL_MS: '100',
    JOB_BACKOFF_BASE_MS: '50',
    JOB_BACKOFF_MAX_MS: '200',
    ...env,
  });
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** A response body as loosely-typed JSON, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function json(res: Response): Promise<any> {
  return res.json();
}
