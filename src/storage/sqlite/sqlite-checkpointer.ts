import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/**
 * The checkpointer's own thread. A CommonJS script given as text, so it runs the same from
 * src/ (tests, tsx) and dist/; the driver's path comes in workerData.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: another checkpoint runs; next tick */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

const SQLITE_AUTOCHECKPOINT_DEFAULT = 1000;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop. SQLite otherwise checkpoints inside whichever commit
 * pushes the WAL past 1000 pages, stalling that request and everything queued behind it. Here a
 * worker thread with its own connection runs PASSIVE checkpoints, which never block writers; if
 * the worker dies, the main connection goes back to SQLite's automatic checkpoints.
 */
export function startCheckpointer(database: Database, file: string, intervalMs = 200): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, intervalMs },
  });
  let stopping = false;
  database.pragma('wal_autocheckpoint = 0');
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      if (!stopping && database.open)
        database.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_DEFAULT}`);
      resolve();
    });
  });
  worker.on('error', () => undefined); // 'exit' follows and restores automatic checkpoints
  worker.unref();

  return {
    async stop() {
      stopping = true;
      // Hold the event loop until the worker is gone: at shutdown nothing else may be keeping it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
      database.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_DEFAULT}`);
    },
  };
}
