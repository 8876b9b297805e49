interface Waiting<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (error: unknown) => void;
}

export interface BatcherOptions<T, R> {
  /**
   * Runs every item in one statement (one round trip, one pooled connection) and returns each
   * item's result, in order.
   */
  readonly flush: (items: readonly T[]) => Promise<readonly R[]>;
  /** Faults (connection lost, timeout) fail the whole batch at once instead of being retried. */
  readonly isFault: (error: unknown) => boolean;
  /**
   * Items with the same key never share a batch: a later one waits for the next turn. For
   * statements that must see each row once (a join on a repeated id would update it only once).
   */
  readonly key?: (item: T) => string;
  readonly maxItems?: number;
}

/**
 * Group commit for PostgreSQL, as the SQLite write queue does for its file: the statements requested
 * in one event-loop turn go out as one multi-row statement, so fifty concurrent requests cost one
 * round trip and one connection instead of fifty. Every caller still learns its own outcome: when a
 * batch fails for a reason other than a fault (a constraint, a deadlock between two nodes' batches),
 * its items are retried one by one, so only the bad item fails its caller; a failed statement has
 * changed nothing. Nobody is answered before the statement holding their row committed.
 */
export function createBatcher<T, R = void>(options: BatcherOptions<T, R>): (item: T) => Promise<R> {
  const maxItems = options.maxItems ?? 256;
  let queue: Waiting<T, R>[] = [];
  let scheduled = false;

  const run = async (batch: readonly Waiting<T, R>[]) => {
    try {
      const results = await options.flush(batch.map((waiting) => waiting.item));
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i] as R);
    } catch (error) {
      if (batch.length === 1 || options.isFault(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      await Promise.all(
        batch.map((waiting) =>
          options.flush([waiting.item]).then((results) => waiting.resolve(results[0] as R), waiting.reject),
        ),
      );
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drain);
  };

  const drain = () => {
    scheduled = false;
    const batch: Waiting<T, R>[] = [];
    const later: Waiting<T, R>[] = [];
    const keys = new Set<string>();
    for (const waiting of queue) {
      const key = options.key?.(waiting.item);
      if (key !== undefined && keys.has(key)) {
        later.push(waiting);
        continue;
      }
      if (key !== undefined) keys.add(key);
      batch.push(waiting);
    }
    queue = later;
    if (later.length > 0) schedule();
    for (let start = 0; start < batch.length; start += maxItems) {
      void run(batch.slice(start, start + maxItems));
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      schedule();
    });
}
