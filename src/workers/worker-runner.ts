import type { Logger } from 'pino';
import type { LockStore } from '../storage/lock-store.js';
import type { Job, JobHandle, TickOutcome } from './job-types.js';

export interface WorkerRunnerDeps {
  readonly locks: LockStore;
  readonly logger: Logger;
  /** Told how every tick ended (metrics). */
  readonly onTick?: (job: string, outcome: TickOutcome) => void;
}

export interface WorkerRunner {
  /** Adds a job; it is scheduled from start() on, and can be run at once through its handle. */
  add<R>(job: Job<R>): JobHandle<R>;
  /** Schedules every job: each tick is set when the last one ends. */
  start(): void;
  /** Clears the timers, aborts the running ticks and waits for them to end. */
  stop(): Promise<void>;
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 600_000;

interface Entry {
  readonly job: Job<unknown>;
  running: Promise<unknown> | undefined;
  abort: AbortController | undefined;
  timer: NodeJS.Timeout | undefined;
}

const errorFields = (error: unknown) => ({
  errName: (error as Error).name,
  errCode: (error as { code?: unknown }).code,
});

/** Runs background jobs, each tick under the lock store's lock named for its job. */
export function createWorkerRunner(deps: WorkerRunnerDeps): WorkerRunner {
  const entries: Entry[] = [];
  let started = false;

  const tick = async (entry: Entry): Promise<unknown> => {
    const { job } = entry;
    const report = (outcome: TickOutcome) => deps.onTick?.(job.name, outcome);
    // Made first, so that a stop() while the lock is being taken reaches the tick too.
    const abort = new AbortController();
    entry.abort = abort;
    let timedOut = false;
    // The guard: a stuck tick is told to stop and reported; its lock is released when it ends.
    const guard = setTimeout(() => {
      timedOut = true;
      deps.logger.warn({ job: job.name }, 'worker tick timed out: asked to stop');
      report('timed_out');
      abort.abort();
    }, job.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    guard.unref();
    try {
      const lease = await deps.locks.tryAcquire(job.name, job.leaseMs ?? DEFAULT_LEASE_MS);
      if (!lease) {
        report('skipped');
        return job.skipped();
      }
      try {
        const result = await job.run({ lease, signal: abort.signal });
        if (!timedOut) report('ran');
        return result;
      } finally {
        await lease.release().catch(() => undefined);
      }
    } catch (error) {
      deps.logger.error({ job: job.name, ...errorFields(error) }, 'worker tick failed');
      report('failed');
      throw error;
    } finally {
      clearTimeout(guard);
      entry.abort = undefined;
    }
  };

  const runOnce = (entry: Entry): Promise<unknown> => {
    entry.running ??= tick(entry).finally(() => {
      entry.running = undefined;
    });
    return entry.running;
  };

  // ±25% around the interval: nodes started together (a deploy) drift apart instead of reaching
  // for the same lock on the same tick.
  const schedule = (entry: Entry): void => {
    entry.timer = setTimeout(
      () => {
        runOnce(entry)
          .catch(() => undefined) // logged and reported by tick()
          .finally(() => {
            if (entry.timer !== undefined) schedule(entry);
          });
      },
      entry.job.intervalMs * (0.75 + Math.random() * 0.5),
    );
    entry.timer.unref();
  };

  return {
    add<R>(job: Job<R>): JobHandle<R> {
      const entry: Entry = { job, running: undefined, abort: undefined, timer: undefined };
      entries.push(entry);
      if (started) schedule(entry);
      return { runOnce: () => runOnce(entry) as Promise<R> };
    },
    start() {
      if (started) return;
      started = true;
      for (const entry of entries) schedule(entry);
    },
    async stop() {
      started = false;
      for (const entry of entries) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        entry.abort?.abort();
      }
      await Promise.all(entries.map((entry) => entry.running?.catch(() => undefined)));
    },
  };
}
