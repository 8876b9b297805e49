import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNTS_BEFORE_0007, expectBackfilled } from '../../../test/helpers/skeleton-backfill.js';
import { sqliteMigrations } from './sqlite-migrations.js';
import { openSqliteStorage } from './sqlite-storage.js';

describe('migration 0007_username_skeleton (SQLite)', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives existing accounts their skeleton, oldest first; a look-alike made before keeps working', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-skeleton-'));
    const file = path.join(dir, 'hush.db');
    // A database as the release before this migration left it, with a look-alike pair in it.
    const before = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    const { error } = await new Migrator({ db: before, provider: sqliteMigrations }).migrateTo(
      '0005_secret_store',
    );
    expect(error).toBeUndefined();
    await before.destroy();
    const raw = new Database(file);
    const insert = raw.prepare(
      'insert into users (id, username, role, password_hash, created_at, github_id) values (?, ?, ?, ?, ?, ?)',
    );
    for (const a of ACCOUNTS_BEFORE_0007) insert.run(a.id, a.username, a.role, 'x', a.createdAt, a.githubId);
    raw.close();

    const storage = openSqliteStorage({ file });
    try {
      await storage.migrate();
      const check = new Database(file, { readonly: true });
      const rows = check.prepare('select id, username_skeleton as skeleton from users order by id').all();
      check.close();
      await expectBackfilled(rows, storage.users);
    } finally {
      await storage.close();
    }
  });
});
