import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Daemon, type DaemonOptions, run, startDaemon } from './daemon.js';
import { freePort, waitFor } from './free-port.js';

export interface PostgresServer {
  readonly port: number;
  /** The data directory (PGDATA): relations under base/, the write-ahead log under pg_wal/. */
  readonly dataDir: string;
  /** URL of database `name` (default: the `postgres` maintenance database) as superuser `hush`. */
  url(database?: string): string;
  /** A fresh, empty database for one test; returns its URL. */
  createDatabase(): Promise<string>;
  /** Fast shutdown (SIGINT): clients are disconnected, committed data stays. */
  stop(): Promise<void>;
  /** Starts again on the same port and data directory (after stop()). */
  restart(): Promise<void>;
  /** Stops and deletes the data directory. */
  destroy(): Promise<void>;
}

export interface PostgresServerOptions {
  /** Serve TLS only (hostssl), with this certificate and key (PEM files). */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

const MISSING =
  'PostgreSQL server binaries (initdb, postgres) were not found on PATH or in /usr/lib/postgresql/*/bin. ' +
  'Install the Debian package: apt-get install -y postgresql';

/** initdb and postgres from PATH, else the newest /usr/lib/postgresql/<version>/bin. */
export function findPostgresBin(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) throw new Error(MISSING);
  return path.join(root, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root; as root, run it as the `postgres` system user. */
function runAs(): DaemonOptions {
  if (process.getuid?.() !== 0) return {};
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(
      'running as root needs a `postgres` system user (apt-get install -y postgresql creates it)',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A throwaway PostgreSQL server for tests and benchmarks: a temporary data directory, a free port
 * on 127.0.0.1, trust authentication for user `hush`. fsync is off: these servers only ever stop
 * cleanly, and the data is thrown away.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const user = runAs();
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-pg-'));
  const dataDir = path.join(dir, 'data');
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid ?? user.uid);
  await run(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'hush', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
    user,
  );
  if (options.tls) {
    // Copy cert and key in, owned by the server user with the 0600 mode postgres insists on.
    for (const [from, to] of [
      [options.tls.certFile, 'server.crt'],
      [options.tls.keyFile, 'server.key'],
    ] as const) {
      const target = path.join(dataDir, to);
      writeFileSync(target, readFileSync(from), { mode: 0o600 });
      if (user.uid !== undefined) chownSync(target, user.uid, user.gid ?? user.uid);
    }
    writeFileSync(path.join(dataDir, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 trust\n');
  }
  const port = await freePort();
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=300',
    ...(options.tls ? ['-c', 'ssl=on'] : []),
  ];
  const url = (database = 'postgres') => `postgres://hush@127.0.0.1:${port}/${database}`;
  const ssl = options.tls ? { rejectUnauthorized: false } : undefined;
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: url(), ssl, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };

  let daemon: Daemon | undefined;
  const start = async () => {
    const started = startDaemon(path.join(bin, 'postgres'), args, user);
    daemon = started;
    await waitFor('PostgreSQL', async () => {
      if (started.child.exitCode !== null) throw new Error(`postgres exited:\n${started.output()}`);
      await query('select 1');
    });
  };
  await start();

  let databases = 0;
  return {
    port,
    dataDir,
    url,
    async createDatabase() {
      databases += 1;
      const name = `hush_${process.pid}_${databases}_${Date.now().toString(36)}`;
      await query(`create database ${name}`);
      return url(name);
    },
    stop: async () => daemon?.stop('SIGINT'),
    restart: start,
    async destroy() {
      await daemon?.stop('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
