import Database from 'better-sqlite3';
import { startCheckpointer } from '../src/storage/sqlite/sqlite-checkpointer.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import type { WriteQueue } from '../src/storage/sqlite/sqlite-write-queue.js';

/**
 * Opens `file` as hush would: hush's migrations first (through hush's own storage), then a plain
 * better-sqlite3 connection with the pragmas of openSqliteStorage and its off-loop checkpointer,
 * and the least a group commit can be: the writes queued in one event-loop turn share one
 * BEGIN IMMEDIATE … COMMIT (no savepoints).
 */
export async function openFloorDatabase(file: string) {
  const storage = openSqliteStorage({ file });
  await storage.migrate();
  await storage.close();

  // src/storage/sqlite/sqlite-storage.ts openSqliteStorage: the same pragmas, in the same order.
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const checkpointer = startCheckpointer(db, file);

  // A minimal group commit: the writes queued in one event-loop turn, one BEGIN IMMEDIATE … COMMIT.
  let queue: { run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] =
    [];
  const runAll = db.transaction((jobs: typeof queue) => jobs.map((job) => job.run()));
  const flush = () => {
    const jobs = queue;
    queue = [];
    let values: unknown[];
    try {
      values = runAll.immediate(jobs);
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      job.resolve(values[i]);
    });
  };
  const write = <T>(run: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
    });
  const writes: WriteQueue = {
    write,
    async drain() {
      while (queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return { db, checkpointer, writes, write };
}
