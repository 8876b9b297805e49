import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgresServer } from '../../../test/servers/postgres-server.js';
import type { SqlStorage } from '../storage.js';
import { openPostgresStorage } from './postgres-storage.js';

const silent = pino({ enabled: false });

/** Publishes from `from` every 100 ms until `received` has `message` (at-most-once: some may be lost). */
async function publishUntilHeard(from: SqlStorage, received: string[], message: string, limitMs = 15_000) {
  const deadline = Date.now() + limitMs;
  while (!received.includes(message)) {
    if (Date.now() > deadline) throw new Error(`"${message}" not heard within ${limitMs} ms`);
    from.notifier.publish('settings', message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('PostgreSQL notifier', () => {
  let server: PostgresServer;
  let a: SqlStorage;
  let b: SqlStorage;

  beforeAll(async () => {
    server = await startPostgresServer();
    const url = await server.createDatabase();
    const database = {
      url,
      poolMax: 2,
      connectTimeoutMs: 1000,
      queryTimeoutMs: 1000,
      tls: 'off' as const,
      tlsCaFile: undefined,
    };
    a = openPostgresStorage({ database, logger: silent });
    b = openPostgresStorage({ database, logger: silent });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.destroy();
  });

  it('listens again by itself after the server restarts, on a fresh connection', async () => {
    const received: string[] = [];
    await b.notifier.subscribe('settings', (message) => received.push(message));
    a.notifier.publish('settings', 'before');
    await expect.poll(() => received, { timeout: 2_000 }).toContain('before');

    await server.stop();
    // Published while the server is away: lost (and logged), never thrown at the publisher.
    expect(() => a.notifier.publish('settings', 'during')).not.toThrow();
    await server.restart();
    await publishUntilHeard(a, received, 'after');
    expect(received).not.toContain('during');
  });

  it('closes its listening connection promptly; a storage that never subscribed opens none', async () => {
    // Node B listens (it subscribed above); node A only published.
    expect(await listeningConnections()).toBe(1);
    const started = Date.now();
    await b.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect.poll(listeningConnections, { timeout: 2_000 }).toBe(0);
  });

  /** hush connections whose last statement was the notifier's LISTEN, on any database. */
  async function listeningConnections(): Promise<number> {
    const client = new pg.Client({ connectionString: await server.createDatabase() });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where application_name = 'hush' and query like 'listen %'",
      );
      return rows[0]?.n ?? 0;
    } finally {
      await client.end();
    }
  }
});
