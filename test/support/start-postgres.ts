import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/**
 * The server's bin dir: PG_BIN, else the newest /usr/lib/postgresql/<major>/bin that
 * holds a `postgres` binary (Debian installs each major version side by side).
 */
export function findPostgresBin(env: Record<string, string | undefined> = process.env): string {
  if (env.PG_BIN) {
    if (!existsSync(join(env.PG_BIN, 'postgres'))) throw new Error(`PG_BIN=${env.PG_BIN} holds no postgres binary`);
    return env.PG_BIN;
  }
  const majors = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT).filter((v) => /^\d+$/.test(v) && existsSync(join(DEBIAN_ROOT, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = majors[0];
  if (!newest) {
    throw new Error(`PostgreSQL server not found (no ${DEBIAN_ROOT}/*/bin/postgres): install the Debian package \`postgresql\` (apt-get install postgresql), or set PG_BIN to its bin dir`);
  }
  return join(DEBIAN_ROOT, newest, 'bin');
}

export type RunningPostgres = { connectionString: string; stop(): Promise<void> };

/**
 * A throwaway PostgreSQL (Debian package `postgresql`) in a temp dir on a loopback
 * port. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export async function startPostgres(port: number): Promise<RunningPostgres> {
  const BIN = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'k8flex-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });
  run(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on', '-c', 'max_connections=200'];
  const child = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', join(BIN, 'postgres'), ...args], { stdio: 'ignore' })
    : spawn(join(BIN, 'postgres'), args, { stdio: 'ignore' });
  const connectionString = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const pg = await import('pg');
  for (let i = 0; ; i++) {
    const c = new pg.default.Client({ connectionString });
    try {
      await c.connect();
      await c.end();
      break;
    } catch (err) {
      if (i >= 100 || child.exitCode !== null) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL (${BIN}) did not accept connections on port ${port}`, { cause: err });
      }
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
