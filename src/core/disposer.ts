import type { Logger } from 'pino';

/**
 * The closer stack of one process (or one CLI command). Each resource registers its closer once,
 * right where it is opened; `close` runs them newest first, so nothing is closed while something
 * opened after it (and maybe using it) still runs.
 */
export interface Disposer {
  /** Registers what closes the resource just opened. Throws once close() has begun. */
  defer(name: string, close: () => unknown): void;
  /**
   * Runs every closer once, newest first. A closer that throws does not stop the others: each
   * failure is logged, and the first is rethrown once all have run. Repeated and concurrent calls
   * share that one run.
   */
  close(): Promise<void>;
}

interface Closer {
  readonly name: string;
  readonly close: () => unknown;
}

export function createDisposer(logger: Logger): Disposer {
  const closers: Closer[] = [];
  let closing: Promise<void> | undefined;

  const runAll = async (): Promise<void> => {
    const failures: unknown[] = [];
    for (let closer = closers.pop(); closer !== undefined; closer = closers.pop()) {
      try {
        await closer.close();
      } catch (error) {
        failures.push(error);
        // Name and code only: a driver's message may quote a connection string.
        logger.error(
          {
            resource: closer.name,
            errName: (error as Error).name,
            errCode: (error as { code?: unknown }).code,
          },
          'closing a resource failed',
        );
      }
    }
    if (failures.length > 0) throw failures[0];
  };

  return {
    defer(name, close) {
      // Opened after shutdown began: nothing would ever close it.
      if (closing !== undefined) throw new Error(`${name} opened after shutdown began`);
      closers.push({ name, close });
    },
    close() {
      closing ??= runAll();
      return closing;
    },
  };
}

/**
 * Runs `open`, which registers what it opens on `disposer`. If it fails half-way, everything it
 * had opened is closed again (a closer's own failure is logged there) and the open error is thrown.
 */
export async function openOrUnwind<T>(disposer: Disposer, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    await disposer.close().catch(() => undefined);
    throw error;
  }
}
