import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, type MigrationProvider, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { postgresMigrations } from '../../src/storage/postgres/postgres-migrations.js';
import { sqliteMigrations } from '../../src/storage/sqlite/sqlite-migrations.js';
import { makeBackend } from './backend-matrix.js';

/** Events as the release before 0008 wrote them: upper-case types, a username actor, a detail. */
const OLD_EVENTS = [
  ['e1', 'CREATE', 'share-1', null, null, 1000],
  ['e2', 'DELETE', 'share-1', 'burned_by_sender', null, 2000],
  ['e3', 'SECRET_READ', null, 'sec-9 v2', 'alice', 3000],
  ['e4', 'LOGIN_FAILED', null, 'password, unknown account', null, 4000],
  ['e5', 'KEY_ROTATE', null, 'v2', null, 5000],
  ['e6', 'USER_CREATE', null, 'bob (user)', 'alice', 6000],
] as const;

/** A database migrated to 0007 with OLD_EVENTS in it, then opened (and so migrated on) as a node. */
async function migratedFrom0007(name: 'sqlite' | 'postgres') {
  const backend = await makeBackend(name);
  const url = backend.env.HUSH_DATABASE_URL;
  const file = path.join(backend.env.HUSH_DATA_DIR ?? '', 'hush.db');
  const provider: MigrationProvider = url ? postgresMigrations : sqliteMigrations;
  const db = new Kysely<unknown>({
    dialect: url
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) })
      : new SqliteDialect({ database: new Database(file) }),
  });
  const { error } = await new Migrator({ db, provider }).migrateTo('0007_username_skeleton');
  expect(error).toBeUndefined();
  await sql`insert into users (id, username, role, password_hash, created_at)
    values ('u-alice', 'alice', 'admin', 'x', 1)`.execute(db);
  for (const [id, type, shareId, detail, actor, createdAt] of OLD_EVENTS) {
    await sql`insert into events (id, type, share_id, detail, actor, created_at)
      values (${id}, ${type}, ${shareId}, ${detail}, ${actor}, ${createdAt})`.execute(db);
  }
  await db.destroy();
  const opened = await backend.open();
  return {
    events: opened.storage.events,
    async close() {
      await opened.close();
      backend.cleanup();
    },
  };
}

describe.each(['sqlite', 'postgres'] as const)('migration 0008_structured_events (%s)', (name) => {
  it('maps existing events into namespaced types, actors, subjects and data, keeping their order', async () => {
    const { events, close } = await migratedFrom0007(name);
    try {
      const { events: all } = await events.after(0, 100, {});
      expect(all.map((e) => [e.id, e.type])).toEqual([
        ['e1', 'share.created'],
        ['e2', 'share.burned'],
        ['e3', 'secret.read'],
        ['e4', 'auth.login_failed'],
        ['e5', 'key.rotated'],
        ['e6', 'user.created'],
      ]);
      const [created, burned, read, failed, rotated, user] = all;
      expect(created).toMatchObject({
        actor: { kind: 'anonymous', id: undefined, name: undefined },
        subject: { kind: 'share', id: 'share-1' },
        data: {},
        createdAt: new Date(1000),
      });
      expect(burned).toMatchObject({
        subject: { kind: 'share', id: 'share-1' },
        data: { reason: 'burned_by_sender' },
      });
      expect(read).toMatchObject({
        actor: { kind: 'user', id: 'u-alice', name: 'alice' },
        subject: { kind: 'secret', id: 'sec-9' },
        data: { detail: 'sec-9 v2' },
      });
      expect(failed).toMatchObject({ actor: { kind: 'anonymous' }, subject: undefined });
      expect(rotated).toMatchObject({ actor: { kind: 'system' }, data: { detail: 'v2' } });
      expect(user).toMatchObject({ actor: { kind: 'user', name: 'alice' }, data: { detail: 'bob (user)' } });
      // The share's timeline reads along the new subject index; new events follow the old ones.
      expect((await events.listForSubject({ kind: 'share', id: 'share-1' }, 10)).map((e) => e.id)).toEqual([
        'e1',
        'e2',
      ]);
      const last = all.at(-1)?.seq ?? 0;
      await events.append([{ ...user, id: 'e7', seq: undefined } as (typeof all)[number]]);
      expect((await events.after(last, 10, {})).events.map((e) => e.id)).toEqual(['e7']);
    } finally {
      await close();
    }
  });
});
