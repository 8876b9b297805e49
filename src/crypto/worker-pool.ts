import { Worker } from 'node:worker_threads';
import { HushError } from '../errors/hush-error.js';

/**
 * A fixed set of worker threads (started with the first job), one job per worker at a time, fed
 * from a bounded FIFO queue.
 *
 * A worker runs `source` (CommonJS, evaluated), posts 'ready' once it has loaded, then answers each
 * job with a Reply. Whenever the pool itself cannot answer (closed, queue full, a worker died or
 * could not start) the job rejects with HushError('unavailable'), never with a fake result: the
 * caller must be able to tell "the pool said no" from "the pool is down".
 */
export interface WorkerPoolOptions {
  readonly source: string;
  readonly workerData: unknown;
  readonly threads: number;
  /** Jobs that may wait for a free worker; more are refused at once. */
  readonly maxQueue: number;
  /** Told why a worker failed to start or died; the pool restarts it after a backoff. */
  readonly onWorkerError?: ((error: Error) => void) | undefined;
}

export type Reply = { ok: true; value: unknown } | { ok: false; error: string };

export interface WorkerPool {
  run(message: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** Restart delays double from the first to the cap, so a worker that cannot load never spins. */
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

interface Job {
  readonly message: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  /** Undefined while the slot waits to restart its worker. */
  worker: Worker | undefined;
  /** The worker has loaded and may take jobs. */
  ready: boolean;
  job: Job | undefined;
  /** Why the current worker is dying, if its 'error' event came before 'exit'. */
  failure: Error | undefined;
  backoff: number;
  restart: NodeJS.Timeout | undefined;
}

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const queue: Job[] = [];
  let closed = false;
  const slots: Slot[] = Array.from({ length: Math.max(1, options.threads) }, () => ({
    worker: undefined,
    ready: false,
    job: undefined,
    failure: undefined,
    backoff: FIRST_BACKOFF_MS,
    restart: undefined,
  }));

  const rejectQueue = () => {
    for (const job of queue.splice(0)) job.reject(new HushError('unavailable'));
  };

  /** The slot's worker is gone: fail its job, restart it later, and say why. */
  const lost = (slot: Slot, reason: Error): void => {
    const { job, ready } = slot;
    Object.assign(slot, { worker: undefined, ready: false, job: undefined, failure: undefined });
    job?.reject(new HushError('unavailable'));
    if (closed) return;
    // A worker that never came up says nothing will serve the queue soon: answer now, not after
    // the backoff. A loaded worker that crashed is likely transient, so its queue waits.
    if (!ready && !slots.some((other) => other.ready)) rejectQueue();
    const delay = slot.backoff;
    slot.backoff = Math.min(delay * 2, MAX_BACKOFF_MS);
    slot.restart = setTimeout(() => start(slot), delay).unref(); // never keeps the process alive
    options.onWorkerError?.(reason);
  };

  const start = (slot: Slot): void => {
    slot.restart = undefined;
    if (closed) return;
    let worker: Worker;
    try {
      worker = new Worker(options.source, { eval: true, workerData: options.workerData });
    } catch (error) {
      lost(slot, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    slot.worker = worker;
    worker.unref(); // an idle worker never keeps the process alive
    worker.on('message', (reply: 'ready' | Reply) => {
      if (reply === 'ready') slot.ready = true;
      else if (slot.job) {
        const job = slot.job;
        slot.job = undefined;
        slot.backoff = FIRST_BACKOFF_MS; // a worker that finishes jobs is healthy again
        worker.unref();
        if (reply.ok) job.resolve(reply.value);
        else job.reject(Object.assign(new HushError('internal'), { cause: new Error(reply.error) }));
      }
      dispatch();
    });
    // 'error' (an uncaught exception, e.g. failing to load) is always followed by 'exit'.
    worker.on('error', (error) => {
      slot.failure ??= error;
    });
    worker.on('exit', (code) => lost(slot, slot.failure ?? new Error(`worker exited with code ${code}`)));
  };

  function dispatch(): void {
    for (const slot of slots) {
      const worker = slot.worker;
      if (!worker || !slot.ready || slot.job) continue; // no live, idle worker here
      const job = queue.shift();
      if (!job) return;
      slot.job = job;
      worker.ref(); // a job in flight keeps the process alive
      worker.postMessage(job.message);
    }
  }

  // Workers start with the first job: each is a V8 isolate (~8 MB), and most processes that
  // never see a passphrase should not pay for them.
  let started = false;

  return {
    run: (message) =>
      new Promise((resolve, reject) => {
        if (closed) return reject(new HushError('unavailable'));
        if (!started) {
          started = true;
          for (const slot of slots) start(slot);
        }
        queue.push({ message, resolve, reject });
        dispatch();
        // Only the job just added can be over the limit; refusing it now beats unbounded latency.
        if (queue.length > options.maxQueue) {
          queue.pop();
          reject(new HushError('unavailable'));
        }
      }),
    async close() {
      closed = true;
      rejectQueue();
      for (const slot of slots) clearTimeout(slot.restart);
      // Each 'exit' rejects the job its worker was running.
      await Promise.all(slots.map((slot) => slot.worker?.terminate()));
    },
  };
}
