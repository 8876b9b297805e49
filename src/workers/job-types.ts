import type { Lease } from '../storage/lock-store.js';

/** What one tick of a job gets: the lease on its lock, and a signal to end early. */
export interface JobTick {
  /** Held for `leaseMs`; a tick that runs longer renews it and stops when renew() says it was lost. */
  readonly lease: Lease;
  /** Aborted by stop() (shutdown) or when the tick passes its timeout: end after the current step. */
  readonly signal: AbortSignal;
}

/**
 * A background job: every `intervalMs` (±25%), on whichever node takes the lock named `name`
 * first. Ticks of one job never overlap on a node, and the lock keeps them apart across nodes.
 */
export interface Job<R = void> {
  /** Names the job in logs and metrics, and the lock that keeps it on one node at a time. */
  readonly name: string;
  readonly intervalMs: number;
  /** How long the lock is held without renewal (default 60 s). */
  readonly leaseMs?: number;
  /** A tick running longer has its signal aborted and is reported as timed out (default 10 min). */
  readonly timeoutMs?: number;
  run(tick: JobTick): Promise<R>;
  /** What a tick answers when another node holds the lock, so this one did nothing. */
  skipped(): R;
}

/** How a tick ended, as the runner reports it (`onTick`, the log). */
export type TickOutcome = 'ran' | 'skipped' | 'failed' | 'timed_out';

export interface JobHandle<R> {
  /** One tick now, under the job's lock; concurrent calls share the tick already running. */
  runOnce(): Promise<R>;
}
