/**
 * Entry of a child process that opens a backend from the HUSH_* settings in argv[2] (JSON) and
 * runs ShareStore calls sent over IPC: a second hush node, with its own connections. (Two SQLite
 * connections on one event loop would also deadlock: better-sqlite3 waits for locks synchronously.)
 */

import { openBackendFromEnv } from './backend-matrix.js';
import { NO_EVENTS_CALLBACK, type StoreReply, type StoreRequest } from './store-process.js';

const env = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const backends = await openBackendFromEnv(env);
const { shares } = backends.storage;

/**
 * Structured clone turns a Buffer into a plain Uint8Array (the drivers bind Buffers) and cannot
 * carry a function: an events callback comes as a marker and is one that stores no events.
 */
function reviveArgs(request: StoreRequest): unknown[] {
  const args = request.args.map((arg) => (arg === NO_EVENTS_CALLBACK ? () => [] : arg));
  if (request.method !== 'create') return args;
  const [record, ...rest] = args as [{ ciphertext: Uint8Array | undefined }, ...unknown[]];
  return [{ ...record, ciphertext: record.ciphertext && Buffer.from(record.ciphertext) }, ...rest];
}

process.on('message', (message: StoreRequest | 'close') => {
  if (message === 'close') {
    void backends.close().then(() => process.disconnect());
    return;
  }
  const method = shares[message.method] as (...args: unknown[]) => Promise<unknown>;
  method(...reviveArgs(message)).then(
    (value) => process.send?.({ id: message.id, ok: true, value } satisfies StoreReply),
    (error: unknown) =>
      process.send?.({ id: message.id, ok: false, error: String(error) } satisfies StoreReply),
  );
});
process.send?.('ready');
