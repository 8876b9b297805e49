/**
 * Entry of a child process that opens its own SQLite connection (argv[2] is the database file)
 * and runs ShareStore calls sent over IPC. It lets one test drive two real connections without
 * both living on one event loop: better-sqlite3 waits for a lock synchronously, so a second
 * connection in the same thread would block the very lock holder it waits for.
 */
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { StoreReply, StoreRequest } from './share-store-process.js';

const file = process.argv[2];
if (!file) throw new Error('usage: share-store-child <database file>');
const storage = openSqliteStorage({ file });

/** Structured clone turns a Buffer into a plain Uint8Array; better-sqlite3 binds only Buffers. */
function reviveArgs(request: StoreRequest): unknown[] {
  if (request.method !== 'create') return request.args;
  const [record] = request.args as [{ ciphertext: Uint8Array }];
  return [{ ...record, ciphertext: Buffer.from(record.ciphertext) }];
}

process.on('message', (message: StoreRequest | 'close') => {
  if (message === 'close') {
    void storage.close().then(() => process.disconnect());
    return;
  }
  const method = storage.shares[message.method] as (...args: unknown[]) => Promise<unknown>;
  method(...reviveArgs(message)).then(
    (value) => process.send?.({ id: message.id, ok: true, value } satisfies StoreReply),
    (error: unknown) =>
      process.send?.({ id: message.id, ok: false, error: String(error) } satisfies StoreReply),
  );
});
process.send?.('ready');
