import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../free-port';

/** A throwaway PostgreSQL server on 127.0.0.1 with password (SCRAM) authentication. */
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `postgres://user:password@127.0.0.1:port/postgres` */
  readonly url: string;
  /** Runs SQL as the superuser (setup and assertions). */
  admin(sql: string, values?: unknown[]): Promise<pg.QueryResult>;
  stop(): Promise<void>;
}

/** The directory of Debian's PostgreSQL binaries (`/usr/lib/postgresql/<major>/bin`), newest first. */
export const findPostgresBin = (): string | undefined => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(root, major, 'bin');
    if (existsSync(join(bin, 'postgres'))) return bin;
  }
  return undefined;
};

/**
 * Starts a real PostgreSQL (Debian's `postgresql` package) in a temporary directory: `initdb` with SCRAM
 * password auth, then `postgres` listening on 127.0.0.1 at a free port. Runs as the `postgres` user when
 * the current user is root (PostgreSQL refuses to run as root).
 *
 * @throws {Error} when PostgreSQL is not installed (`apt-get install -y postgresql`)
 */
export const startPostgres = async (
  options: { password?: string; maxConnections?: number } = {},
): Promise<PostgresServer> => {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed: the KPI tests need Debian's 'postgresql' package");
  const password = options.password ?? 'admin-secret-pw';
  const user = 'vigil_admin';
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password);
  // PostgreSQL refuses to run as root: run it as the `postgres` user (spawn's uid/gid, so signals reach it).
  const owner: { uid?: number; gid?: number } =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
          gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
        }
      : {};
  if (owner.uid !== undefined && owner.gid !== undefined) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  chmodSync(dir, 0o700);
  execFileSync(
    join(bin, 'initdb'),
    [
      '-D',
      data,
      '-U',
      user,
      '--auth=scram-sha-256',
      `--pwfile=${pwfile}`,
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ],
    { stdio: 'ignore', ...owner },
  );
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-k',
    dir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    `max_connections=${options.maxConnections ?? 40}`,
    '-c',
    'shared_buffers=128MB',
  ];
  const child: ChildProcess = spawn(join(bin, 'postgres'), args, { stdio: 'ignore', ...owner });
  const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const adminPool = new pg.Pool({ connectionString: url, max: 2 });
  adminPool.on('error', () => undefined);
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      await adminPool.query('SELECT 1');
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`PostgreSQL did not start on port ${port}: ${(error as Error).message}`);
      }
      await new Promise((next) => setTimeout(next, 100));
    }
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database: 'postgres',
    url,
    admin: (sql, values) => adminPool.query(sql, values),
    stop: async () => {
      await adminPool.end().catch(() => undefined);
      await new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        // SIGINT: PostgreSQL's "fast" shutdown (disconnects clients, no waiting).
        child.kill('SIGINT');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
