import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { HushError } from '../../errors/hush-error.js';
import { isSqliteFault } from './sqlite-faults.js';
import { openSqliteStorage } from './sqlite-storage.js';

const coded = (code: string) => Object.assign(new Error('x'), { code });

describe('isSqliteFault', () => {
  it('is true for a busy or locked file, false for what a retry would not fix', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT']) {
      expect(isSqliteFault(coded(code))).toBe(true);
    }
    for (const code of ['SQLITE_FULL', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_IOERR', 'SQLITE_CORRUPT']) {
      expect(isSqliteFault(coded(code))).toBe(false);
    }
    expect(isSqliteFault(new Error('SQLITE_BUSY'))).toBe(false);
    expect(isSqliteFault(undefined)).toBe(false);
    expect(isSqliteFault('SQLITE_BUSY')).toBe(false);
  });
});

describe('SQLite storage faults', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hush-sqlite-faults-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers unavailable when another process holds the write lock past busy_timeout', async () => {
    const file = path.join(dir, 'hush.db');
    const storage = openSqliteStorage({ file, busyTimeoutMs: 50 });
    await storage.migrate();
    // Another connection (as another process on the file would) takes the write lock and keeps it.
    const other = new Database(file);
    other.exec('begin immediate');
    try {
      const error = await storage.settings
        .set({ key: 'k', valueJson: '1', updatedAt: Date.now(), updatedBy: undefined }, 0, [])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HushError);
      expect((error as HushError).code).toBe('unavailable');
      expect(isSqliteFault((error as HushError).cause)).toBe(true);
    } finally {
      other.exec('rollback');
      other.close();
    }
    // The lock gone, the same storage writes again.
    expect(
      await storage.settings.set(
        { key: 'k', valueJson: '1', updatedAt: Date.now(), updatedBy: undefined },
        0,
        [],
      ),
    ).toBe(1);
    await storage.close();
  });
});
