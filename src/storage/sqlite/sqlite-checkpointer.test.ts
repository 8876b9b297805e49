import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './sqlite-checkpointer.js';

describe('background WAL checkpointer', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-ckpt-'));
    file = path.join(dir, 'c.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('create table t (v blob)');
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const walPages = () => statSync(`${file}-wal`).size / 4096;
  const writeMany = (count: number) => {
    const insert = db.prepare('insert into t (v) values (randomblob(3000))');
    for (let i = 0; i < count; i++) insert.run();
  };

  it('takes checkpoints off the main connection and keeps the WAL from growing without bound', async () => {
    const checkpointer = startCheckpointer(db, file, 20);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    writeMany(1500);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const oneRound = walPages();
    for (let round = 0; round < 6; round++) {
      writeMany(1500);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    // Seven rounds were written; with checkpoints the WAL is reused from its start, so the file
    // stays near one round's size instead of growing sevenfold.
    expect(walPages()).toBeLessThan(oneRound * 2);
    const [status] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(status?.checkpointed).toBe(status?.log);
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('hands checkpoints back to SQLite if its thread dies', async () => {
    const checkpointer = startCheckpointer(db, `${dir}/missing/nowhere.db`, 20);
    // The worker cannot open that file and exits; the main connection must checkpoint again.
    for (let i = 0; i < 50 && db.pragma('wal_autocheckpoint', { simple: true }) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await checkpointer.stop();
  });
});
