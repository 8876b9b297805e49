import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/servers/test-database.js';
import { postgresMigrations } from './postgres-migrations.js';
import { openPostgresStorage } from './postgres-storage.js';

describe('migration 0007_username_skeleton (PostgreSQL)', () => {
  it('gives existing accounts their skeleton, oldest first; a look-alike made before keeps working', async () => {
    const url = await createTestDatabase();
    // A database as the release before this migration left it, with a look-alike pair in it.
    const before = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
    });
    const { error } = await new Migrator({ db: before, provider: postgresMigrations }).migrateTo(
      '0005_secret_store',
    );
    expect(error).toBeUndefined();
    await before.destroy();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const insert = (id: string, username: string, at: number, githubId: string | null) =>
      client.query(
        `insert into users (id, username, role, password_hash, created_at, github_id) values ($1, $2, 'user', 'x', $3, $4)`,
        [id, username, at, githubId],
      );
    await insert('1', 'alice', 1, null);
    await insert('2', '\u0430lice', 2, null);
    await insert('3', 'bob', 3, null);
    await insert('4', 'gh.octocat', 4, '583231');

    const storage = openPostgresStorage({
      database: {
        url,
        poolMax: 2,
        connectTimeoutMs: 2000,
        queryTimeoutMs: 5000,
        tls: 'off',
        tlsCaFile: undefined,
      },
      logger: pino({ enabled: false }),
    });
    try {
      await storage.migrate();
      const { rows } = await client.query('select id, username_skeleton as skeleton from users order by id');
      expect(rows).toEqual([
        { id: '1', skeleton: 'alice' },
        { id: '2', skeleton: null },
        { id: '3', skeleton: 'bob' },
        { id: '4', skeleton: null },
      ]);
      expect((await storage.users.findByUsername('\u0430lice'))?.id).toBe('2');
      const third = { email: undefined, role: 'user', passwordHash: 'x', createdAt: 5 };
      expect(await storage.users.create({ ...third, id: '5', username: 'a\u217cice' })).toBe(false);
      expect(await storage.users.create({ ...third, id: '6', username: 'carol' })).toBe(true);
    } finally {
      await storage.close();
      await client.end();
    }
  });
});
