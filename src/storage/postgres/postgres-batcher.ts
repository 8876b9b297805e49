interface Waiting<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface BatcherOptions<T> {
  /** Writes every item in one statement (one round trip, one pooled connection). */
  readonly flush: (items: readonly T[]) => Promise<void>;
  /** Faults (connection lost, timeout) fail the whole batch at once instead of being retried. */
  readonly isFault: (error: unknown) => boolean;
  readonly maxItems?: number;
}

/**
 * Group commit for PostgreSQL, as the SQLite write queue does for its file: the writes requested
 * in one event-loop turn go out as one multi-row statement, so fifty concurrent creates cost one
 * round trip and one connection instead of fifty. Every caller still learns its own outcome: when
 * a batch fails for a reason other than a fault, its items are retried one by one, so one bad row
 * fails only its own caller. Nobody is answered before the statement holding their row committed.
 */
export function createBatcher<T>(options: BatcherOptions<T>): (item: T) => Promise<void> {
  const maxItems = options.maxItems ?? 256;
  let queue: Waiting<T>[] = [];
  let scheduled = false;

  const run = async (batch: readonly Waiting<T>[]) => {
    try {
      await options.flush(batch.map((waiting) => waiting.item));
      for (const waiting of batch) waiting.resolve();
    } catch (error) {
      if (batch.length === 1 || options.isFault(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      await Promise.all(
        batch.map((waiting) => options.flush([waiting.item]).then(waiting.resolve, waiting.reject)),
      );
    }
  };

  const drain = () => {
    scheduled = false;
    const pending = queue;
    queue = [];
    for (let start = 0; start < pending.length; start += maxItems) {
      void run(pending.slice(start, start + maxItems));
    }
  };

  return (item) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
    });
}
