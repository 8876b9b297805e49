import type { Database } from 'better-sqlite3';

interface Job {
  readonly run: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Writes that arrive in one event-loop turn share a commit; more than this wait for the next. */
const MAX_BATCH = 256;

export interface WriteQueue {
  /**
   * Runs `run` inside a write transaction and resolves once that transaction has committed.
   * `run` must be synchronous: it executes under SQLite's write lock, in its own savepoint, so
   * its statements are atomic together and a throw undoes only its own work — unless SQLite itself
   * rolled back the transaction (disk full, I/O error), which fails every write of the batch.
   */
  write<T>(run: () => T): Promise<T>;
  /** Resolves when every queued write has committed. */
  drain(): Promise<void>;
}

/**
 * Group commit for SQLite. A commit costs the same whether it carries one write or hundreds, so
 * under load the writes queued during one event-loop turn go into one BEGIN IMMEDIATE … COMMIT.
 * Nobody is answered before their commit, so durability is unchanged, and the writes still run
 * one after another under the write lock, so every atomicity guarantee of the store holds.
 */
export function createWriteQueue(database: Database): WriteQueue {
  let queue: Job[] = [];
  let scheduled: Promise<void> | undefined;

  // better-sqlite3 turns a transaction function called inside another transaction into a savepoint.
  const inSavepoint = database.transaction((run: () => unknown) => run());
  const runBatch = database.transaction((jobs: readonly Job[]) =>
    jobs.map((job) => {
      try {
        return { ok: true as const, value: inSavepoint(job.run) };
      } catch (error) {
        // Some errors (SQLITE_FULL, IOERR, NOMEM) roll back the whole transaction, not just the
        // savepoint. Running on would turn the next jobs' savepoints into transactions of their
        // own that commit: abort instead, so nothing of this batch is written and all of it fails.
        if (!database.inTransaction) throw error;
        return { ok: false as const, error };
      }
    }),
  );

  const flush = () => {
    const jobs = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    scheduled = queue.length > 0 ? schedule() : undefined;
    let outcomes: ReturnType<typeof runBatch>;
    try {
      outcomes = runBatch.immediate(jobs);
    } catch (error) {
      // BEGIN or COMMIT failed (e.g. the lock stayed busy), or SQLite rolled the transaction
      // back mid-batch: nothing in this batch was written.
      for (const job of jobs) job.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const job = jobs[i] as Job;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  };

  // setImmediate runs after the I/O of this turn, so requests parsed in the same turn batch up.
  const schedule = () => new Promise<void>((resolve) => setImmediate(() => resolve(flush())));

  return {
    write<T>(run: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
        scheduled ??= schedule();
      });
    },
    async drain() {
      while (scheduled !== undefined) await scheduled;
    },
  };
}
