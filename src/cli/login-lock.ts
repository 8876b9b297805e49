import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Longer than one renewal can take (a 60 s request, then a save): an older lock was left by a crash. */
const STALE_MS = 90_000;
const POLL_MS = 50;

/** The lock file could not be made (a read-only or missing directory): never an error of `body`. */
export class LockError extends Error {
  constructor(readonly code: string) {
    super(`cannot make the lock file (${code})`);
    this.name = 'LockError';
  }
}

/**
 * Runs `body` while holding the lock file at `path` (created with O_EXCL, so one process at a time
 * across every `hush` on this machine), then removes it. Waits up to `waitMs` for another holder;
 * resolves `{ busy: true }` if it is still held then. A lock older than STALE_MS is taken over.
 *
 * Why: renewing spends the refresh token, and presenting a spent one revokes the whole session.
 * Two commands renewing the same saved login at once must not both try.
 */
export async function withFileLock<T>(
  path: string,
  waitMs: number,
  body: () => Promise<T>,
): Promise<{ busy: false; value: T } | { busy: true }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const handle = await open(path, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return undefined;
      throw new LockError(error.code ?? 'error');
    });
    if (handle) {
      try {
        await handle.writeFile(`${process.pid}\n`).finally(() => handle.close());
        return { busy: false, value: await body() };
      } finally {
        await rm(path, { force: true });
      }
    }
    const since = await stat(path).then(
      (info) => Date.now() - info.mtimeMs,
      () => 0,
    );
    if (since > STALE_MS) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) return { busy: true };
    await sleep(POLL_MS);
  }
}
