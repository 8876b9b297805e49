import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, type MigrationProvider, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresMigrations } from '../../src/storage/postgres/postgres-migrations.js';
import { sqliteMigrations } from '../../src/storage/sqlite/sqlite-migrations.js';
import { makeBackend } from './backend-matrix.js';

const LATER = 4_000_000_000_000;

/** Kysely on the backend's database, outside hush's stores. */
function rawDb(url: string | undefined, file: string) {
  return new Kysely<unknown>({
    dialect: url
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) })
      : new SqliteDialect({ database: new Database(file) }),
  });
}

describe.each(['sqlite', 'postgres'] as const)('migration 0012_machines (%s)', (name) => {
  const before = name === 'sqlite' ? '0009_session_principal_kind' : '0010_event_inserted_at';

  it('keeps every session and token; sessions then go with their account by the store, not a foreign key', async () => {
    const backend = await makeBackend(name);
    const url = backend.env.HUSH_DATABASE_URL;
    const file = path.join(backend.env.HUSH_DATA_DIR ?? '', 'hush.db');
    const provider: MigrationProvider = url ? postgresMigrations : sqliteMigrations;
    try {
      const db = rawDb(url, file);
      expect((await new Migrator({ db, provider }).migrateTo(before)).error).toBeUndefined();
      await sql`insert into users (id, username, role, password_hash, created_at)
        values ('u-old', 'old', 'admin', 'x', 1)`.execute(db);
      await sql`insert into sessions (id, user_id, client_id, client_ip, access_ttl_seconds, created_at, expires_at)
        values ('s-old', 'u-old', 'cli', '192.0.2.1', 600, 1, ${LATER})`.execute(db);
      await sql`insert into tokens (id, hash, kind, session_id, scope, bound_cidrs, max_uses, uses, created_at, expires_at, rotated_at)
        values ('t-access', 'h-access', 'access', 's-old', 'admin', '10.0.0.0/8', 5, 2, 1, ${LATER}, null),
          ('t-refresh', 'h-refresh', 'refresh', 's-old', 'admin', null, null, 0, 1, ${LATER}, 7)`.execute(db);
      await db.destroy();

      const opened = await backend.open();
      const { tokens, users } = opened.storage;
      const access = await tokens.find('h-access');
      expect(access).toMatchObject({
        token: { id: 't-access', boundCidrs: ['10.0.0.0/8'], maxUses: 5, uses: 2 },
        session: {
          id: 's-old',
          userId: 'u-old',
          principalKind: 'user',
          clientId: 'cli',
          accessTtlSeconds: 600,
        },
        principal: { id: 'u-old', name: 'old', role: 'admin' },
      });
      expect((await tokens.find('h-refresh'))?.token.rotatedAt).toBe(7);
      // Tokens still go with their session.
      await users.create({
        id: 'u-keeper',
        username: 'keeper',
        email: undefined,
        role: 'admin',
        passwordHash: 'x',
        createdAt: 1,
      });
      expect(await users.deleteUnlessLastAdmin('old', [])).toBe('done');
      expect(await tokens.find('h-access')).toBeUndefined();
      await opened.close();

      const check = rawDb(url, file);
      const left = await sql<{
        n: number;
      }>`select count(*) as n from tokens where session_id = 's-old'`.execute(check);
      expect(Number(left.rows[0]?.n)).toBe(0);
      // Down: machine sessions go, the reference to users comes back; up again.
      await sql`insert into machines (id, name, role_id, role, token_ttl_seconds, token_max_ttl_seconds,
          token_num_uses, secret_id_ttl_seconds, secret_id_num_uses, created_at, updated_at)
        values ('m-1', 'm', 'r-1', 'user', 0, 0, 0, 0, 0, 1, 1)`.execute(check);
      await sql`insert into sessions (id, user_id, principal_kind, access_ttl_seconds, created_at, expires_at)
        values ('s-machine', 'm-1', 'machine', 60, 1, ${LATER}), ('s-keeper', 'u-keeper', 'user', 60, 1, ${LATER})`.execute(
        check,
      );
      const migrator = new Migrator({ db: check, provider });
      expect((await migrator.migrateTo(before)).error).toBeUndefined();
      const kept = await sql<{ id: string }>`select id from sessions order by id`.execute(check);
      expect(kept.rows.map((r) => r.id)).toEqual(['s-keeper']);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      await check.destroy();
    } finally {
      backend.cleanup();
    }
  });
});

describe.each(['sqlite', 'postgres'] as const)('migration 0013_secret_id_used_up (%s)', (name) => {
  it('gives secret_ids used up before it its own time, so they are purged as ended; down and up again', async () => {
    const backend = await makeBackend(name);
    const url = backend.env.HUSH_DATABASE_URL;
    const file = path.join(backend.env.HUSH_DATA_DIR ?? '', 'hush.db');
    const provider: MigrationProvider = url ? postgresMigrations : sqliteMigrations;
    try {
      const db = rawDb(url, file);
      expect((await new Migrator({ db, provider }).migrateTo('0012_machines')).error).toBeUndefined();
      await sql`insert into machines (id, name, role_id, role, token_ttl_seconds, token_max_ttl_seconds,
          token_num_uses, secret_id_ttl_seconds, secret_id_num_uses, created_at, updated_at)
        values ('m-1', 'm', 'r-1', 'user', 0, 0, 0, 0, 0, 1, 1)`.execute(db);
      await sql`insert into machine_secret_ids (accessor, machine_id, hash, metadata, uses_left, created_at)
        values ('a-spent', 'm-1', 'h-spent', '{}', 0, 1), ('a-left', 'm-1', 'h-left', '{}', 1, 1),
          ('a-free', 'm-1', 'h-free', '{}', null, 1)`.execute(db);
      await db.destroy();

      const migratedFrom = Date.now();
      const opened = await backend.open();
      const { machines } = opened.storage;
      const spent = await machines.findSecretId('h-spent');
      expect(spent?.usedUpAt).toBeGreaterThanOrEqual(migratedFrom);
      expect(spent?.usedUpAt).toBeLessThanOrEqual(Date.now());
      expect((await machines.findSecretId('h-left'))?.usedUpAt).toBeUndefined();
      expect((await machines.findSecretId('h-free'))?.usedUpAt).toBeUndefined();
      expect(await machines.purgeEndedSecretIds(migratedFrom, 10)).toBe(0);
      expect(await machines.purgeEndedSecretIds(Date.now() + 1, 10)).toBe(1);
      await opened.close();

      const check = rawDb(url, file);
      const migrator = new Migrator({ db: check, provider });
      expect((await migrator.migrateTo('0012_machines')).error).toBeUndefined();
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      await check.destroy();
    } finally {
      backend.cleanup();
    }
  });
});
