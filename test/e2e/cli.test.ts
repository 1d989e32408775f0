import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../support/alertmanager.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = [process.execPath, '--import', 'tsx', join(ROOT, 'src', 'cli.ts')] as const;
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'k8flex-cli-'));
  dirs.push(d);
  return d;
}

describe('k8flex command line', () => {
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('refuses to start with a message naming each bad variable', () => {
    const r = spawnSync(CLI[0], [...CLI.slice(1), 'serve'], {
      env: { ...process.env, PORT: 'http', JOB_MAX_ATTEMPTS: '-1', LLM_PROVIDER: 'skynet' },
      encoding: 'utf8',
      cwd: ROOT,
    });
    assert.equal(r.status, 78);
    for (const v of ['PORT', 'JOB_MAX_ATTEMPTS', 'LLM_PROVIDER']) assert.match(r.stderr, new RegExp(v));
  });

  it('applies migrations with `k8flex migrate` and exits', () => {
    const r = spawnSync(CLI[0], [...CLI.slice(1), 'migrate'], { env: { ...process.env, DATA_DIR: tempDir(), LOG_LEVEL: 'info' }, encoding: 'utf8', cwd: ROOT });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /migration applied/);
  });

  it('serves with no configuration and stops cleanly on SIGTERM, keeping its data', async () => {
    const port = await freePort();
    const dbPort = await freePort();
    const dataDir = tempDir();
    const env = { ...process.env, PORT: String(port), EMBEDDED_DB_PORT: String(dbPort), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    const start = async () => {
      const child = spawn(CLI[0], [...CLI.slice(1), 'serve'], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      // A generous deadline: a loaded CI machine can take a while to open the embedded database.
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`exited early: ${out}`);
        try {
          if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) break;
        } catch {
          // not yet listening
        }
        if (i > 1200) {
          child.kill('SIGKILL');
          throw new Error(`not ready within 120 s: ${out}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return { child, output: () => out };
    };

    const first = await start();
    const posted = await fetch(`http://127.0.0.1:${port}/api/v1/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Pod api-7d9f in namespace prod is OOMKilled' }),
    });
    assert.equal(posted.status, 202);
    const created = ((await posted.json()) as { incident_id: string }).incident_id;
    const code = await new Promise<number | null>((resolve) => {
      first.child.once('exit', (c) => resolve(c));
      first.child.kill('SIGTERM');
    });
    assert.equal(code, 0);
    assert.match(first.output(), /k8flex stopped/);

    // The embedded database is on disk: the incident is still there after a restart.
    const second = await start();
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/incidents/${created}`);
      assert.equal(r.status, 200);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  });
});
