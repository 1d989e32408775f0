import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export type RunningPostgres = { connectionString: string; stop(): Promise<void> };

/**
 * A throwaway PostgreSQL (Debian package `postgresql`) in a temp dir on a loopback
 * port. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function startPostgres(port: number): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'k8flex-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
  run(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on', '-c', 'max_connections=200'];
  const child = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', join(BIN, 'postgres'), ...args], { stdio: 'ignore' })
    : spawn(join(BIN, 'postgres'), args, { stdio: 'ignore' });
  const connectionString = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const pg = await import('pg');
  for (let i = 0; i < 100; i++) {
    const c = new pg.default.Client({ connectionString });
    try {
      await c.connect();
      await c.end();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    connectionString,
    async stop() {
      // Fast shutdown through pg_ctl: as root the child is runuser, which does not pass SIGINT on
      // to postgres, so signalling the child alone never returned.
      try {
        if (child.exitCode === null) run(join(BIN, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast']);
      } catch {
        child.kill('SIGINT');
      }
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
