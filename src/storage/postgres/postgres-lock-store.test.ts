import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/servers/test-database.js';
import type { Storage } from '../storage.js';
import { openPostgresStorage } from './postgres-storage.js';

/**
 * What the conformance suite skips for PostgreSQL: a lease is the holder's connection, so it ends
 * when that connection drops (a node dying, a network cut), not when a TTL runs out.
 */
describe('PostgreSQL lock store', () => {
  let url: string;
  let nodes: [Storage, Storage];
  let admin: pg.Client;

  beforeAll(async () => {
    url = await createTestDatabase();
    const open = () =>
      openPostgresStorage({
        database: {
          url,
          poolMax: 4,
          connectTimeoutMs: 2000,
          queryTimeoutMs: 2000,
          tls: 'off',
          tlsCaFile: undefined,
        },
        logger: pino({ enabled: false }),
      });
    nodes = [open(), open()];
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await Promise.all(nodes.map((storage) => storage.close()));
  });

  /** Ends the session of whoever holds an advisory lock, as the death of its node would. */
  async function dropHolderConnection(): Promise<void> {
    const { rowCount } = await admin.query(
      "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted",
    );
    expect(rowCount).toBe(1);
  }

  it('frees the lease when the holder connection drops; the old holder learns it lost, and nothing crashes', async () => {
    const lease = await nodes[0].locks.tryAcquire('sweeper', 60_000);
    expect(lease).toBeDefined();
    expect(await nodes[1].locks.tryAcquire('sweeper', 60_000)).toBeUndefined();

    await dropHolderConnection();
    let taken = await nodes[1].locks.tryAcquire('sweeper', 60_000);
    for (let i = 0; taken === undefined && i < 100; i += 1) {
      // The server releases the lock as the terminated session exits, a moment after the signal.
      await new Promise((resolve) => setTimeout(resolve, 50));
      taken = await nodes[1].locks.tryAcquire('sweeper', 60_000);
    }
    expect(taken).toBeDefined();

    expect(await lease?.renew()).toBe(false);
    await lease?.release(); // must neither throw nor free the new holder's lease
    expect(await nodes[0].locks.tryAcquire('sweeper', 60_000)).toBeUndefined();
    expect(await taken?.renew()).toBe(true);
    await taken?.release();

    // The old holder's node still works, and its connection went back to the pool destroyed.
    const again = await nodes[0].locks.tryAcquire('sweeper', 60_000);
    expect(again).toBeDefined();
    await again?.release();
  });

  it('release hands the name on and returns the connection to the pool', async () => {
    for (let i = 0; i < 10; i += 1) {
      // More rounds than the pool has connections: each release must give its connection back.
      const lease = await nodes[i % 2 === 0 ? 0 : 1].locks.tryAcquire('round', 60_000);
      expect(lease).toBeDefined();
      await lease?.release();
      await lease?.release(); // a second release is a no-op
    }
    const { rows } = await admin.query(
      "select count(*)::int as held from pg_locks where locktype = 'advisory'",
    );
    expect(rows[0].held).toBe(0);
  });
});
