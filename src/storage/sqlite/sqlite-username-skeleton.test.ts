import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
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
    insert.run('1', 'alice', 'admin', 'x', 1, null);
    insert.run('2', '\u0430lice', 'user', 'x', 2, null);
    insert.run('3', 'bob', 'user', 'x', 3, null);
    insert.run('4', 'gh.octocat', 'user', '', 4, '583231');
    raw.close();

    const storage = openSqliteStorage({ file });
    try {
      await storage.migrate();
      const check = new Database(file, { readonly: true });
      const rows = check.prepare('select id, username_skeleton as skeleton from users order by id').all();
      check.close();
      expect(rows).toEqual([
        { id: '1', skeleton: 'alice' },
        { id: '2', skeleton: null },
        { id: '3', skeleton: 'bob' },
        { id: '4', skeleton: null },
      ]);
      // The grandfathered look-alike still signs in by its own name; no third one can be made.
      expect((await storage.users.findByUsername('\u0430lice'))?.id).toBe('2');
      const third = { email: undefined, role: 'user', passwordHash: 'x', createdAt: 5 };
      expect(await storage.users.create({ ...third, id: '5', username: 'a\u217cice' })).toBe(false);
      expect(await storage.users.create({ ...third, id: '6', username: 'carol' })).toBe(true);
    } finally {
      await storage.close();
    }
  });
});
