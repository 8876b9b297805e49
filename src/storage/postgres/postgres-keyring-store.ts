import type pg from 'pg';
import type { KeyringStore } from '../keyring-store.js';
import { KEYRING_SQL, keyFromRow } from '../sql/keyring-statements.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { runPostgres } from './postgres-prepared.js';
import { inTransaction } from './postgres-transaction.js';

/** PostgreSQL only: events come in as one JSON parameter (postgres-event-rows.ts). */
const INSERT_EVENTS = insertEvents(1);

/** The keyring in PostgreSQL: one prepared statement per call. */
export function createPostgresKeyringStore(pool: pg.Pool): KeyringStore {
  return {
    list: async () => (await runPostgres(pool, KEYRING_SQL.list, {})).rows.map(keyFromRow),
    add: async (key, events = []) => {
      if (events.length === 0) return (await runPostgres(pool, KEYRING_SQL.add, key)).rowCount === 1;
      // A rotation (cold): the key and its events in one transaction, the events only if it was added.
      return inTransaction(pool, async (client) => {
        const added = (await runPostgres(client, KEYRING_SQL.add, key)).rowCount === 1;
        if (added) {
          await client.query({
            name: 'hush_keyring_insertEvents',
            text: INSERT_EVENTS,
            values: eventParams(ownedBy(String(key.version), events)),
          });
        }
        return added;
      });
    },
  };
}
