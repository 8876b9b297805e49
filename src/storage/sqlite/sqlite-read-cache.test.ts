import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeCounter, createReadCache } from './sqlite-read-cache.js';

describe('SQLite read cache', () => {
  let dir: string;
  let mine: Database.Database;
  let other: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-read-cache-'));
    const file = path.join(dir, 'cache.db');
    mine = new Database(file);
    mine.pragma('journal_mode = WAL');
    mine.exec('create table t (k text primary key, v text)');
    other = new Database(file);
  });
  afterEach(() => {
    mine.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads `k` on this connection, counting the reads that reach SQLite. */
  const reader = () => {
    const select = mine.prepare<[string], { v: string }>('select v from t where k = ?');
    const counted = { reads: 0 };
    const read = (k: string) => {
      counted.reads += 1;
      return select.get(k)?.v;
    };
    return { read, counted };
  };

  it('serves a hit from memory until this connection’s own write clears it', () => {
    const cache = createReadCache<string>(changeCounter(mine));
    const { read, counted } = reader();
    mine.prepare("insert into t values ('a', 'one')").run();
    expect(cache.get('a', read)).toBe('one');
    expect(cache.get('a', read)).toBe('one');
    expect(counted.reads).toBe(1);
    // Our own commits leave the change counter alone: the store clears the cache in its write job.
    mine.prepare("update t set v = 'two' where k = 'a'").run();
    expect(cache.get('a', read)).toBe('one');
    cache.clear();
    expect(cache.get('a', read)).toBe('two');
  });

  it('drops everything once another connection commits', () => {
    const cache = createReadCache<string>(changeCounter(mine));
    const { read, counted } = reader();
    mine.prepare("insert into t values ('a', 'one')").run();
    expect(cache.get('a', read)).toBe('one');
    other.prepare("update t set v = 'two' where k = 'a'").run();
    expect(cache.get('a', read)).toBe('two');
    expect(counted.reads).toBe(2);
  });

  it('keeps its entries across a passive checkpoint by another connection (hush’s checkpointer)', () => {
    const cache = createReadCache<string>(changeCounter(mine));
    const { read, counted } = reader();
    mine.prepare("insert into t values ('a', 'one')").run();
    expect(cache.get('a', read)).toBe('one');
    other.pragma('wal_checkpoint(PASSIVE)');
    expect(cache.get('a', read)).toBe('one');
    expect(counted.reads).toBe(1);
  });

  it('does not cache misses, and holds at most maxEntries, dropping the oldest', () => {
    const cache = createReadCache<string>(changeCounter(mine), 2);
    const { read, counted } = reader();
    for (const k of ['a', 'b', 'c']) mine.prepare('insert into t values (?, ?)').run(k, k.toUpperCase());
    expect(cache.get('nope', read)).toBeUndefined();
    expect(cache.get('nope', read)).toBeUndefined();
    expect(counted.reads).toBe(2);
    cache.get('a', read);
    cache.get('b', read);
    cache.get('c', read);
    expect(counted.reads).toBe(5);
    cache.get('b', read);
    cache.get('c', read);
    expect(counted.reads).toBe(5);
    expect(cache.get('a', read)).toBe('A');
    expect(counted.reads).toBe(6);
  });
});
