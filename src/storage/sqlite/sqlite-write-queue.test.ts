import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWriteQueue } from './sqlite-write-queue.js';

describe('group-commit write queue', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;
  const insert = (v: number) => db.prepare('insert into t (v) values (?)').run(v);
  const countFrom = (conn: Database.Database) =>
    (conn.prepare('select count(*) as n from t').get() as { n: number }).n;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-queue-'));
    file = path.join(dir, 'q.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('create table t (v integer not null unique)');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a burst in one transaction and resolves each write after the commit', async () => {
    const queue = createWriteQueue(db);
    // In WAL mode another connection sees only committed rows: if the burst shares one
    // transaction, it sees none of them while any of the writes runs.
    const reader = new Database(file, { readonly: true });
    const visibleDuringWrites: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        queue.write(() => {
          expect(db.inTransaction).toBe(true);
          insert(i);
          visibleDuringWrites.push(countFrom(reader));
          return i * 2;
        }),
      ),
    );
    expect(visibleDuringWrites).toEqual(Array(50).fill(0));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(countFrom(reader)).toBe(50);
    reader.close();
  });

  it('writes queued in different turns commit separately', async () => {
    const queue = createWriteQueue(db);
    await queue.write(() => insert(1));
    const reader = new Database(file, { readonly: true });
    expect(await queue.write(() => countFrom(reader))).toBe(1);
    reader.close();
  });

  it('a failing write undoes only itself; the others commit', async () => {
    const queue = createWriteQueue(db);
    const outcomes = await Promise.allSettled([
      queue.write(() => insert(1)),
      queue.write(() => {
        insert(2);
        insert(1); // unique violation: its savepoint also undoes the 2
      }),
      queue.write(() => insert(3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('select v from t order by v').all()).toEqual([{ v: 1 }, { v: 3 }]);
  });

  it('rejects the whole batch when the write lock cannot be had', async () => {
    const other = new Database(file);
    db.pragma('busy_timeout = 50');
    other.exec('begin immediate');
    try {
      const queue = createWriteQueue(db);
      const outcomes = await Promise.allSettled([queue.write(() => insert(1)), queue.write(() => insert(2))]);
      expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect(countFrom(db)).toBe(0);
  });

  it('aborts the whole batch when SQLite rolls back the transaction mid-batch (SQLITE_FULL)', async () => {
    const queue = createWriteQueue(db);
    db.exec('create table blobs (b blob)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    // A full disk rolls back the whole transaction, not just the statement: the jobs after it must
    // not run as transactions of their own (committing) while every job is reported as failed.
    const outcomes = await Promise.allSettled([
      queue.write(() => insert(1)),
      queue.write(() => db.prepare('insert into blobs (b) values (?)').run(Buffer.alloc(1 << 20))),
      queue.write(() => insert(3)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(countFrom(db)).toBe(0);
    expect(db.inTransaction).toBe(false);
    // Every job learns the real cause, not a later "cannot commit - no transaction is active".
    for (const o of outcomes)
      expect((o as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_FULL' });

    db.pragma(`max_page_count = ${2 ** 30}`);
    expect(await Promise.all([queue.write(() => insert(4)), queue.write(() => 'ok')])).toEqual([
      expect.anything(),
      'ok',
    ]);
    expect(countFrom(db)).toBe(1);
  });

  it('carries a burst larger than one batch over to the next turn; drain waits for all', async () => {
    const queue = createWriteQueue(db);
    const writes = Array.from({ length: 600 }, (_, i) => queue.write(() => insert(i)));
    await queue.drain();
    expect(countFrom(db)).toBe(600);
    await Promise.all(writes);
    await queue.drain(); // nothing queued: returns at once
  });
});
