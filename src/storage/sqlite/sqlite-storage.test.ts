import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from './sqlite-storage.js';

describe('SQLite migrations', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a migration that fails part-way leaves nothing of it behind, and can run again once fixed', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-migrate-'));
    const file = path.join(dir, 'hush.db');
    // A stray `events` table makes migration 0001 fail after it has created `shares`.
    const raw = new Database(file);
    raw.exec('create table events (x integer)');
    const tables = () =>
      raw
        .prepare(
          "select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%' order by name",
        )
        .all()
        .map((row) => (row as { name: string }).name);

    const storage = openSqliteStorage({ file });
    await expect(storage.migrate()).rejects.toThrow(/"events" already exists/);
    expect(tables()).toEqual(['events']);

    raw.exec('drop table events');
    await storage.migrate();
    expect(tables()).toEqual([
      'download_grants',
      'events',
      'keyring',
      'locks',
      'machine_secret_ids',
      'machines',
      'meta',
      'oauth_states',
      'policies',
      'secret_requests',
      'secret_versions',
      'secrets',
      'sessions',
      'settings',
      'shares',
      'tokens',
      'upload_parts',
      'uploads',
      'users',
      'webhook_cursor',
      'webhook_deliveries',
      'webhook_endpoints',
    ]);
    await storage.migrate(); // nothing pending
    raw.close();
    await storage.close();
  });
});
