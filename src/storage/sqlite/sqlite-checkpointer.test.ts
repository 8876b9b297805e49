import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  /**
   * Waits until every frame in the WAL has been copied back into the database, read off the
   * shared-memory index (mxFrame at byte 16 of its header, nBackfill at byte 96) rather than by
   * checkpointing here: only the checkpointer's thread may do that. Polled, not slept for a fixed
   * time, so a loaded machine makes it slower, never wrong.
   */
  const checkpointed = async () => {
    for (let i = 0; i < 200; i++) {
      const shm = readFileSync(`${file}-shm`);
      if (shm.readUInt32LE(96) === shm.readUInt32LE(16)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the checkpointer did not catch up within 5 s');
  };
  const writeMany = (count: number) => {
    const insert = db.prepare('insert into t (v) values (randomblob(3000))');
    for (let i = 0; i < count; i++) insert.run();
  };

  it('takes checkpoints off the main connection and keeps the WAL from growing without bound', async () => {
    const checkpointer = startCheckpointer(db, file, 20);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    writeMany(1500);
    await checkpointed();
    const oneRound = walPages();
    for (let round = 0; round < 6; round++) {
      writeMany(1500);
      await checkpointed();
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
