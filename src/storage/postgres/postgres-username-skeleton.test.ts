import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ACCOUNTS_BEFORE_0007, expectBackfilled } from '../../../test/helpers/skeleton-backfill.js';
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
    for (const a of ACCOUNTS_BEFORE_0007) {
      await client.query(
        `insert into users (id, username, role, password_hash, created_at, github_id) values ($1, $2, $3, 'x', $4, $5)`,
        [a.id, a.username, a.role, a.createdAt, a.githubId],
      );
    }

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
      await expectBackfilled(rows, storage.users);
    } finally {
      await storage.close();
      await client.end();
    }
  });
});
