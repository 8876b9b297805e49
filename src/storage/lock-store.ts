/** A lease on a named lock: while it is held, no other holder on any node acquires the name. */
export interface Lease {
  /** Extends the lease; false when it was lost (expired or taken over), so the holder must stop. */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Mutual exclusion across nodes, for work that must run on one node at a time (the sweeper).
 * Guarantee: at most one caller holds a given name at any moment; a holder that dies without
 * releasing loses the lease after `ttlMs` (or when its connection drops), so the work moves on.
 */
export interface LockStore {
  /** The lease, or undefined at once when another holder has it. */
  tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined>;
}
