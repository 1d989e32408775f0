import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..', '..');

/** One pino line as k8flex writes it to stdout. */
export type LogLine = { msg?: string; level?: number; component?: string; [k: string]: unknown };

export type LoggedService = {
  url: string;
  child: ChildProcess;
  /** Every JSON log line the process has written so far. */
  logs: LogLine[];
  /** Log lines whose `msg` is `msg`. */
  said(msg: string): LogLine[];
  /** SIGKILL, then waits for the exit: no shutdown code runs, as when a node dies. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful shutdown), then waits for the exit (SIGKILL after 15 s). */
  stop(): Promise<void>;
};

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/**
 * Runs `k8flex serve` as a child process, as a replica runs in production, and keeps
 * its JSON log lines so a test can tell what each replica did (lead, watch, poll).
 */
export async function spawnLoggedService(env: Record<string, string>, port: number): Promise<LoggedService> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: LogLine[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      logs.push({ msg: line });
    }
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`service exited during start-up: ${JSON.stringify(logs.slice(-5))}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // starting
    }
    if (i > 300) throw new Error('service did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    logs,
    said: (msg) => logs.filter((l) => l.msg === msg),
    async kill9() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      // A shutdown that hangs must not hang the test run; the test asserts what matters.
      const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited(child);
      clearTimeout(deadline);
    },
  };
}
