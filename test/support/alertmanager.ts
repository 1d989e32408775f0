import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Debian package's binary; the test command installs it when root. */
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager';

export function requireAlertmanager(): void {
  const r = spawnSync(ALERTMANAGER_BIN, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${ALERTMANAGER_BIN} not found: install the Debian package prometheus-alertmanager (scripts/test-all.sh does as root)`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export type RunningAlertmanager = {
  url: string;
  postAlerts(alerts: Array<{ labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }>): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Starts a real Alertmanager (clustering disabled) whose only receiver is our
 * webhook, with bearer authorization and send_resolved, and short group timers so
 * tests do not wait minutes.
 */
export async function startAlertmanager(options: { webhookUrl: string; token: string }): Promise<RunningAlertmanager> {
  requireAlertmanager();
  const dir = mkdtempSync(join(tmpdir(), 'k8flex-am-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: k8flex',
      "  group_by: ['alertname', 'namespace']",
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: k8flex',
      '    webhook_configs:',
      `      - url: ${options.webhookUrl}`,
      '        send_resolved: true',
      '        max_alerts: 0',
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: ${options.token}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`alertmanager did not become ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async postAlerts(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts.map((a) => ({ generatorURL: 'http://prometheus.test/graph', annotations: {}, ...a }))),
      });
      if (!res.ok) throw new Error(`alertmanager rejected alerts: ${res.status} ${await res.text()}`);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
