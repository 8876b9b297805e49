import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsAuth } from './helpers/load.js';
import { type ServerProcess, startServerProcess } from './helpers/server-process.js';
import { freePort } from './servers/free-port.js';
import { createTestDatabase } from './servers/test-database.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-proc-'));
  dirs.push(dir);
  return dir;
};

/** Runs `src/main.ts` to completion (for commands and start-up failures). */
function runMain(env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HUSH_PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** Like runMain, but resolves when the process exits, so several can run at once. */
function runMainAsync(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
}

/** A POST whose body arrives in two halves: the second only when `finish()` is called. */
function slowPost(url: string, body: object) {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const req = request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  req.write(text.slice(0, half));
  return { status, finish: () => req.end(text.slice(half)) };
}

/** Waits until the server has received `count` requests (besides this probe) that are still running. */
async function waitUntilInFlight(url: string, count: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const text = await (await fetch(`${url}/metrics`, { headers: metricsAuth })).text();
    const inFlight = Number(/^hush_http_requests_in_flight (\d+)/m.exec(text)?.[1] ?? 0);
    if (inFlight - 1 >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('requests never reached the server');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the hush process', () => {
  it('creates a 0600 master key on first start and says where; keeps it on restart', async () => {
    const dir = tempDir();
    const first = await startServerProcess({ HUSH_DATA_DIR: dir });
    expect(first.output()).toContain('created a new master key file');
    expect(first.output()).toContain(path.join(dir, 'master.key'));
    expect(statSync(path.join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'hush.db')).mode & 0o777).toBe(0o600);
    const created = (await (
      await fetch(`${first.url}/api/v1/shares`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret: 'survives restart' }),
      })
    ).json()) as { secret_key: string };
    expect(await first.stop()).toBe(0);

    const second = await startServerProcess({ HUSH_DATA_DIR: dir });
    expect(second.output()).not.toContain('created a new master key file');
    const revealed = await fetch(`${second.url}/api/v1/shares/${created.secret_key}/reveal`, {
      method: 'POST',
    });
    expect(await revealed.json()).toMatchObject({ secret: 'survives restart' });
    expect(await second.stop()).toBe(0);
  });

  it('drains in-flight requests on SIGTERM, then closes the database cleanly', async () => {
    const dir = tempDir();
    const server: ServerProcess = await startServerProcess({ HUSH_DATA_DIR: dir, HUSH_RATE_LIMIT_MAX: '0' });
    // Each request sends half its body before SIGTERM and the rest after: it is in flight throughout.
    const requests = Array.from({ length: 5 }, (_, i) =>
      slowPost(`${server.url}/api/v1/shares`, { secret: `s${i}` }),
    );
    await waitUntilInFlight(server.url, 5);
    const exit = server.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const request of requests) request.finish();
    expect(await Promise.all(requests.map((r) => r.status))).toEqual(Array(5).fill(201));
    expect(await exit).toBe(0);
    expect(server.output()).toContain('shutdown complete');
    // A clean close checkpoints and removes the WAL.
    expect(existsSync(path.join(dir, 'hush.db-wal'))).toBe(false);
    const db = new Database(path.join(dir, 'hush.db'), { readonly: true });
    expect(db.prepare('select count(*) as n from shares').get()).toEqual({ n: 5 });
    db.close();
  });

  it('refuses to start on bad settings, naming each one', () => {
    const result = runMain({ HUSH_DATA_DIR: tempDir(), HUSH_PORT: 'eighty', HUSH_LOG_LEVEL: 'loud' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('HUSH_PORT must be a whole number');
    expect(result.stderr).toContain('HUSH_LOG_LEVEL must be one of');
  });

  it('refuses to start with a malformed or short master key', () => {
    const short = runMain({ HUSH_DATA_DIR: tempDir(), HUSH_MASTER_KEY: 'c2hvcnQ=' });
    expect(short.status).toBe(2);
    expect(short.stderr).toMatch(/HUSH_MASTER_KEY is malformed: expected 32 bytes/);
    expect(short.stderr).not.toContain('c2hvcnQ=');
  });

  it('refuses to start with a key other than the one the data was written with, or with none', async () => {
    const dir = tempDir();
    const key = randomBytes(32).toString('hex');
    const first = await startServerProcess({ HUSH_DATA_DIR: dir, HUSH_MASTER_KEY: key });
    expect(await first.stop()).toBe(0);

    const wrong = runMain({ HUSH_DATA_DIR: dir, HUSH_MASTER_KEY: randomBytes(32).toString('hex') });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/HUSH_MASTER_KEY\) is not the key this database was written with/);

    // No key at all: a fresh key file would make every share unreadable, so none is created.
    const none = runMain({ HUSH_DATA_DIR: dir });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no master key: .* does not exist/);
    expect(existsSync(path.join(dir, 'master.key'))).toBe(false);

    const right = await startServerProcess({ HUSH_DATA_DIR: dir, HUSH_MASTER_KEY: key });
    expect(await right.stop()).toBe(0);
  });

  it('`migrate` applies migrations and exits', () => {
    const dir = tempDir();
    const result = runMain({ HUSH_DATA_DIR: dir }, ['migrate']);
    expect(result.status).toBe(0);
    const db = new Database(path.join(dir, 'hush.db'), { readonly: true });
    const tables = db.prepare("select name from sqlite_master where type = 'table' order by name").all();
    db.close();
    expect(tables).toEqual(expect.arrayContaining([{ name: 'shares' }, { name: 'events' }]));
  });

  it('`migrate` run by several processes at once on a fresh data dir succeeds in each', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = tempDir();
      const runs = await Promise.all(
        Array.from({ length: 4 }, () => runMainAsync({ HUSH_DATA_DIR: dir }, ['migrate'])),
      );
      for (const run of runs) expect(run.code, run.output).toBe(0);
      const db = new Database(path.join(dir, 'hush.db'), { readonly: true });
      const tables = db.prepare("select name from sqlite_master where type = 'table'").all();
      const applied = db.prepare('select name from kysely_migration order by name').all();
      db.close();
      expect(tables).toEqual(
        expect.arrayContaining([{ name: 'shares' }, { name: 'events' }, { name: 'meta' }]),
      );
      expect(applied).toEqual([
        { name: '0001_shares_and_events' },
        { name: '0002_meta' },
        { name: '0003_locks' },
        { name: '0004_users' },
        { name: '0005_secret_store' },
        { name: '0006_share_key_check' },
        { name: '0007_username_skeleton' },
        { name: '0008_structured_events' },
        { name: '0009_session_principal_kind' },
        { name: '0011_kv_versions' },
        { name: '0012_machines' },
        { name: '0013_secret_id_used_up' },
        { name: '0015_share_files' },
      ]);
    }
  }, 120_000);

  it('`user create --admin` reads the password from stdin; HUSH_BOOTSTRAP_ADMIN_* creates the first admin once', async () => {
    const dir = tempDir();
    const password = 'a long enough bootstrap password';
    const create = (args: string[], input: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'user', 'create', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HUSH_DATA_DIR: dir, HUSH_LOG_LEVEL: 'warn' },
        input,
        encoding: 'utf8',
        timeout: 30_000,
      });
    const made = create(['--admin', '--email', 'ops@example.com', 'Ops'], `${password}\n`);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('created admin ops');
    expect(made.stdout + made.stderr).not.toContain(password);
    const again = create(['ops'], password);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/exists/);
    const short = create(['someone'], 'short');
    expect(short.status).toBe(1);
    expect(short.stderr).toMatch(/password must be 12/);
    expect(create([], '').status).toBe(2);

    // An admin exists now: the bootstrap settings change nothing.
    const bootstrap = { HUSH_BOOTSTRAP_ADMIN_USERNAME: 'root', HUSH_BOOTSTRAP_ADMIN_PASSWORD: password };
    const server = await startServerProcess({ HUSH_DATA_DIR: dir, ...bootstrap });
    expect(server.output()).not.toContain('created the first admin account');
    await server.stop();
    // On fresh data it creates the admin, once, and never logs the password.
    const fresh = tempDir();
    const first = await startServerProcess({ HUSH_DATA_DIR: fresh, ...bootstrap });
    expect(first.output()).toContain('created the first admin account');
    expect(first.output()).not.toContain(password);
    await first.stop();
    const second = await startServerProcess({ HUSH_DATA_DIR: fresh, ...bootstrap });
    expect(second.output()).not.toContain('created the first admin account');
    await second.stop();
    // Account rules apply to the bootstrap settings too, as a configuration error.
    const bad = runMain({
      HUSH_DATA_DIR: tempDir(),
      HUSH_BOOTSTRAP_ADMIN_USERNAME: 'x',
      HUSH_BOOTSTRAP_ADMIN_PASSWORD: password,
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/HUSH_BOOTSTRAP_ADMIN_\*: username must be/);
  }, 120_000);

  it('names an unreachable PostgreSQL at start, without the password, and exits 1', async () => {
    const port = await freePort();
    const run = runMain({
      HUSH_DATA_DIR: tempDir(),
      HUSH_DATABASE_URL: `postgres://hush:unreachable-db-pw@127.0.0.1:${port}/hush`,
      HUSH_DATABASE_CONNECT_TIMEOUT_MS: '500',
    });
    const output = run.stdout + run.stderr;
    expect(run.status, output).toBe(1);
    expect(output).toMatch(/PostgreSQL or Redis did not answer at start \(ECONNREFUSED/);
    expect(output).not.toContain('unreachable-db-pw');
  });

  it('`migrate` on PostgreSQL: several processes at once, then the tables are there, with no password in the output', async () => {
    const url = new URL(await createTestDatabase());
    url.password = 'not-needed-trust-auth-pw';
    const env = { HUSH_DATA_DIR: tempDir(), HUSH_DATABASE_URL: url.href, HUSH_MIGRATE_ON_START: 'false' };
    const runs = await Promise.all(Array.from({ length: 3 }, () => runMainAsync(env, ['migrate'])));
    for (const run of runs) {
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('migrations applied');
      expect(run.output).not.toContain('not-needed-trust-auth-pw');
    }
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        'select name from kysely_migration order by name',
      );
      expect(rows.map((row) => row.name)).toEqual([
        '0001_shares_and_events',
        '0002_meta',
        '0004_users',
        '0005_secret_store',
        '0006_share_key_check',
        '0007_username_skeleton',
        '0008_structured_events',
        '0009_session_principal_kind',
        '0010_event_inserted_at',
        '0011_kv_versions',
        '0012_machines',
        '0013_secret_id_used_up',
        '0015_share_files',
      ]);
    } finally {
      await client.end();
    }
  }, 60_000);
});
