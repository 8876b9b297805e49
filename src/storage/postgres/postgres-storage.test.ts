import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../test/servers/daemon.js';
import { type PostgresServer, startPostgresServer } from '../../../test/servers/postgres-server.js';
import { createTestDatabase } from '../../../test/servers/test-database.js';
import type { DatabaseConfig } from '../../config/config.js';
import { HushError } from '../../errors/hush-error.js';
import type { Storage } from '../storage.js';
import { openPostgresStorage } from './postgres-storage.js';

const silent = pino({ enabled: false });

function databaseConfig(url: string, overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
  return {
    url,
    poolMax: 4,
    connectTimeoutMs: 2000,
    queryTimeoutMs: 2000,
    tls: 'off',
    tlsCaFile: undefined,
    ...overrides,
  };
}

/** How `promise` settles, failing the test if it has not within `ms` (a hang, not slowness). */
async function settled<T>(promise: Promise<T>, ms = 10_000): Promise<PromiseSettledResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    const [outcome] = await Promise.race([Promise.allSettled([promise]), timeout]);
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL storage', () => {
  let url: string;
  let nodes: [Storage, Storage];

  beforeAll(async () => {
    url = await createTestDatabase();
    nodes = [
      openPostgresStorage({ database: databaseConfig(url), logger: silent }),
      openPostgresStorage({ database: databaseConfig(url), logger: silent }),
    ];
  });
  afterAll(async () => {
    await Promise.all(nodes.map((storage) => storage.close()));
  });

  it('two nodes migrating a fresh database at once: one applies each migration, the other finds it done', async () => {
    await Promise.all(nodes.map((storage) => storage.migrate()));
    const applied = await query<{ name: string }>(url, 'select name from kysely_migration order by name');
    expect(applied.map((row) => row.name)).toEqual([
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
    const tables = await query<{ table_name: string }>(
      url,
      "select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely%' order by 1",
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      'events',
      'download_grants',
      'keyring',
      'machine_secret_ids',
      'machines',
      'meta',
      'oauth_states',
      'policies',
      'secret_versions',
      'secrets',
      'sessions',
      'settings',
      'shares',
      'tokens',
      'upload_parts',
      'uploads',
      'users',
    ]);
    await nodes[0].migrate(); // nothing pending
  });

  it('keeps the first key check written, however many nodes race to write theirs', async () => {
    expect(await nodes[0].keyCheck.read()).toBeUndefined();
    await Promise.all([nodes[0].keyCheck.write('check-a'), nodes[1].keyCheck.write('check-b')]);
    const first = await nodes[0].keyCheck.read();
    expect(['check-a', 'check-b']).toContain(first);
    await nodes[1].keyCheck.write('check-c');
    expect(await nodes[1].keyCheck.read()).toBe(first);
  });

  it('reads int8 as numbers on its own pool, leaving the global pg type parsers alone', async () => {
    const total = await nodes[0].events.list({}, 0, 1);
    expect(total.total).toBe(0);
    expect(pg.types.getTypeParser(pg.types.builtins.INT8)('9007199254740993')).toBe('9007199254740993');
  });

  it('closes once, however often close() is called', async () => {
    const storage = openPostgresStorage({ database: databaseConfig(url), logger: silent });
    await storage.ping();
    await Promise.all([storage.close(), storage.close()]);
    await storage.close();
  });
});

describe('PostgreSQL TLS', () => {
  let dir: string;
  let server: PostgresServer;
  let caFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-pg-tls-'));
    caFile = path.join(dir, 'server.crt');
    const keyFile = path.join(dir, 'server.key');
    // Self-signed: the certificate is its own CA.
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ]);
    server = await startPostgresServer({ tls: { certFile: caFile, keyFile } });
  });
  afterAll(async () => {
    await server?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Pings a server that accepts TLS connections only, with the given TLS settings. */
  async function ping(tls: Pick<DatabaseConfig, 'tls' | 'tlsCaFile'>): Promise<void> {
    const storage = openPostgresStorage({ database: databaseConfig(server.url(), tls), logger: silent });
    try {
      await storage.ping();
    } finally {
      await storage.close();
    }
  }

  it('verify-full trusts a server whose certificate the CA file signs', async () => {
    await ping({ tls: 'verify-full', tlsCaFile: caFile });
  });

  it('verify-full without that CA refuses the self-signed certificate', async () => {
    await expect(ping({ tls: 'verify-full', tlsCaFile: undefined })).rejects.toThrow(/self[- ]signed/);
  });

  it('require encrypts without verifying the certificate', async () => {
    await ping({ tls: 'require', tlsCaFile: undefined });
  });

  it('off connects in plain text, which a TLS-only server turns away', async () => {
    await expect(ping({ tls: 'off', tlsCaFile: undefined })).rejects.toThrow(/no encryption/);
  });
});

describe('PostgreSQL faults', () => {
  let server: PostgresServer;
  let storage: Storage;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = await startPostgresServer();
    const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    storage = openPostgresStorage({ database: databaseConfig(await server.createDatabase()), logger });
    await storage.migrate();
  });
  afterAll(async () => {
    await storage?.close();
    await server?.destroy();
  });

  const share = (id: string) => {
    const now = Date.now();
    return {
      id,
      tokenHash: `token-${id}`,
      receiptHash: `receipt-${id}`,
      ciphertext: Buffer.from('content'),
      passphraseHash: undefined,
      passphraseScope: 'reveal' as const,
      maxViews: 1,
      createdAt: now,
      expiresAt: now + 60_000,
    };
  };

  const unavailable = (outcome: PromiseSettledResult<unknown>) => {
    expect(outcome.status).toBe('rejected');
    const reason = (outcome as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(HushError);
    expect(reason.code).toBe('unavailable');
  };

  it('answers unavailable while the server is down, and serves again by itself once it is back', async () => {
    await storage.shares.create(share('before'), []);
    await server.stop();

    unavailable(await settled(storage.ping()));
    unavailable(await settled(storage.shares.create(share('during'), [])));
    unavailable(await settled(storage.events.list({}, 0, 10)));

    await server.restart();
    await storage.ping();
    await storage.shares.create(share('after'), []);
    expect(await storage.shares.findByReceipt('receipt-before')).toMatchObject({ id: 'before' });
    expect(await storage.shares.claimView('after', Date.now(), [])).toMatchObject({ viewsLeft: 0 });
  });

  it('logs an idle connection lost in the shutdown by name and code only', () => {
    const lost = logs.filter((line) => line.msg === 'idle PostgreSQL connection failed');
    expect(lost.length).toBeGreaterThan(0);
    for (const line of lost) {
      expect(Object.keys(line.err as object).sort()).toEqual(expect.arrayContaining(['name']));
      expect(Object.keys(line.err as object).every((key) => key === 'name' || key === 'code')).toBe(true);
    }
  });
});
