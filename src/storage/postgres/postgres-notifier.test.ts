import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgresServer } from '../../../test/servers/postgres-server.js';
import type { SqlStorage } from '../storage.js';
import { createPostgresNotifier } from './postgres-notifier.js';
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

  it('closes promptly when close() comes while its listening connection is still being opened', async () => {
    const url = new URL(await server.createDatabase());
    const gate = await startGate(Number(url.port));
    try {
      url.port = String(gate.port);
      const database = {
        url: url.toString(),
        poolMax: 1,
        // Longer than the test: the connect in flight neither fails nor times out by itself.
        connectTimeoutMs: 20_000,
        queryTimeoutMs: 20_000,
        tls: 'off' as const,
        tlsCaFile: undefined,
      };
      const publishing = new pg.Pool({ connectionString: database.url });
      const notifier = createPostgresNotifier(publishing, database, silent);
      const subscribed = notifier.subscribe('settings', () => {});
      await expect.poll(() => gate.waiting, { timeout: 5_000 }).toBe(1);

      // Shutdown first, then the connection succeeds: the notifier must not start waiting on it.
      const closing = notifier.close();
      gate.open();
      const started = Date.now();
      await Promise.race([
        closing,
        new Promise((_, reject) => setTimeout(() => reject(new Error('close() did not resolve')), 5_000)),
      ]);
      expect(Date.now() - started).toBeLessThan(2_000);
      await subscribed;
      // The listener pool ended: its connection (the only one through the gate) is closed.
      await expect.poll(() => gate.openConnections, { timeout: 2_000 }).toBe(0);
      expect(gate.accepted).toBe(1);
      await publishing.end();
    } finally {
      await gate.close();
    }
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

/**
 * A TCP relay to PostgreSQL on `target` that holds every connection (nothing forwarded, so the
 * client's connect stays in flight) until open() is called.
 */
async function startGate(target: number) {
  const held: Socket[] = [];
  const sockets = new Set<Socket>();
  let opened = false;
  let accepted = 0;
  const forward = (client: Socket) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream)).on('error', () => client.destroy());
    client.on('error', () => upstream.destroy()).on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
    client.resume();
  };
  const relay: Server = createServer((client) => {
    accepted++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.pause();
    if (opened) forward(client);
    else held.push(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    get waiting() {
      return held.length;
    },
    get accepted() {
      return accepted;
    },
    /** Client-side and upstream sockets still open. */
    get openConnections() {
      return sockets.size;
    },
    open() {
      opened = true;
      for (const client of held.splice(0)) forward(client);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        relay.close(() => resolve());
      }),
  };
}
