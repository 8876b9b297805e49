import { chmodSync, statSync } from 'node:fs';

/**
 * Takes the group and other bits off a file that holds secrets (the master key, the SQLite
 * database and its -wal and -shm), whatever the umask or an earlier version left. Returns the mode
 * it had, as octal text ("644"), when it changed it, so the caller can say so; undefined when the
 * file is missing or already private.
 */
export function restrictToOwner(file: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if ((mode & 0o077) === 0) return undefined;
  chmodSync(file, 0o600);
  return mode.toString(8);
}
