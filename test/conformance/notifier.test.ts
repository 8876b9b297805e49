import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditService } from '../../src/audit/audit-service.js';
import type { Actor } from '../../src/audit/audit-types.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createSettingsService, type SettingsService } from '../../src/settings/settings-service.js';
import type { NotifierTopic } from '../../src/storage/notifier.js';
import type { Backends } from '../../src/storage/open-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { BACKEND_NAMES, type Backend, makeBackend, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const NOW = Date.now();
const HOUR = 3_600_000;
const client = { ip: '127.0.0.1', userAgent: 'test' };

/** The messages `storage` receives on `topic`, as they arrive. */
async function collect(storage: Storage, topic: NotifierTopic): Promise<string[]> {
  const received: string[] = [];
  await storage.notifier.subscribe(topic, (message) => received.push(message));
  return received;
}

/** Resolves once `check` holds, looking every 5 ms; fails after `limitMs`. */
async function within(limitMs: number, check: () => boolean): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const as = (name: string): Actor => ({ kind: 'user', id: `u-${name}`, name });

describe.each(BACKEND_NAMES)('%s notifier (two nodes)', (name) => {
  let two: TwoNodes;
  const storage = (i: 0 | 1) => two.nodes[i].storage;
  /**
   * Where a message from node 0 arrives. SQLite's notifier is in-process (a file has no channel
   * between processes; their caches follow through PRAGMA data_version and the settings poll), so
   * there the subscriber that hears node 0 is node 0's own.
   */
  const listener = () => storage(name === 'sqlite' ? 0 : 1);

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('delivers a message published on node A to a subscriber on node B, per topic', async () => {
    const settings = await collect(listener(), 'settings');
    const revocations = await collect(listener(), 'revocation');
    storage(0).notifier.publish('settings', '42');
    await within(2_000, () => settings.length > 0);
    expect(settings).toEqual(['42']);
    expect(revocations).toEqual([]);
  });

  it.runIf(name === 'sqlite')(
    'keeps SQLite messages in their process: another storage on the file hears none',
    async () => {
      const other = await collect(storage(1), 'settings');
      const own = await collect(storage(0), 'settings');
      storage(0).notifier.publish('settings', '7');
      await within(1_000, () => own.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(other).toEqual([]);
    },
  );

  it('stops delivering once unsubscribed', async () => {
    const received: string[] = [];
    const unsubscribe = await listener().notifier.subscribe('settings', (message) => received.push(message));
    const witness = await collect(listener(), 'settings');
    unsubscribe();
    storage(0).notifier.publish('settings', 'after');
    await within(2_000, () => witness.includes('after'));
    expect(received).toEqual([]);
  });

  it("announces a revocation on node A to node B at once, and B's lookups see it", async () => {
    const userId = randomUUID();
    await storage(0).users.create({
      id: userId,
      username: `rev-${userId.slice(0, 8)}`,
      email: undefined,
      role: 'user',
      passwordHash: 'x',
      createdAt: NOW,
      githubId: undefined,
    });
    const sessionId = randomUUID();
    const hash = randomUUID();
    await storage(0).tokens.createSession(
      {
        id: sessionId,
        userId,
        clientId: 'cli',
        clientIp: undefined,
        accessTtlSeconds: 3600,
        createdAt: NOW,
        expiresAt: NOW + HOUR,
        revokedAt: undefined,
      },
      [
        {
          id: randomUUID(),
          hash,
          kind: 'access',
          sessionId,
          scope: 'secrets:read',
          boundCidrs: undefined,
          maxUses: undefined,
          uses: 0,
          createdAt: NOW,
          expiresAt: NOW + HOUR,
          revokedAt: undefined,
          rotatedAt: undefined,
        },
      ],
    );
    expect((await storage(1).tokens.find(hash))?.session.revokedAt).toBeUndefined();
    const revocations = await collect(listener(), 'revocation');

    expect(await storage(0).tokens.revokeSession(sessionId, Date.now())).toBe(true);
    await within(1_000, () => revocations.includes(sessionId));
    expect((await storage(1).tokens.find(hash))?.session.revokedAt).toBeDefined();
    // A revocation that changed nothing is not announced.
    expect(await storage(0).tokens.revokeSession(sessionId, Date.now())).toBe(false);
    expect(await storage(0).users.deleteUnlessLastAdmin(`rev-${userId.slice(0, 8)}`, [])).toBe('done');
    await within(1_000, () => revocations.length === 2);
    expect(revocations).toEqual([sessionId, '*']);
  });
});

describe.each(BACKEND_NAMES)('%s settings through the notifier', (name) => {
  const services: SettingsService[] = [];
  const nodes: Backends[] = [];
  let backend: Backend | undefined;
  afterAll(async () => {
    for (const service of services) await service.close();
    for (const node of nodes) await node.close();
    backend?.cleanup();
  });

  it.skipIf(name === 'sqlite')(
    // Skip reason: SQLite nodes are processes on one file, with no channel between them; their
    // settings follow by the poll (test/settings-nodes.test.ts shows it on two storages).
    "reaches another node's settings at once, without waiting for its poll (60 s here)",
    async () => {
      backend = await makeBackend(name);
      const config = loadConfig(backend.env);
      nodes.push(await backend.open(), await backend.open());
      const [a, b] = nodes.map((node) =>
        createSettingsService({
          store: node.storage.settings,
          audit: createAuditService({ events: node.storage.events }),
          config,
          logger: createLogger('silent'),
          notifier: node.storage.notifier,
          pollIntervalMs: 60_000,
        }),
      ) as [SettingsService, SettingsService];
      services.push(a, b);
      await a.start();
      await b.start();
      await a.set('shares.max_views', 5, as('alice'), client);
      await within(500, () => b.get('shares.max_views') === 5);
      await b.reset('shares.max_views', as('bob'), client);
      await within(500, () => a.get('shares.max_views') === 100);
    },
  );
});

describe.each(BACKEND_NAMES)('%s rate-limit counters (two nodes)', (name) => {
  let two: TwoNodes;
  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it.runIf(name !== 'redis')('leaves the limiter counting in each process: no shared store', () => {
    expect(two.nodes[0].storage.rateLimits).toBeUndefined();
  });

  it.runIf(name === 'redis')('counts the hits of both nodes on one key, each exactly once', async () => {
    const [a, b] = two.nodes.map((node) => node.storage.rateLimits);
    if (!a || !b) throw new Error('Redis storage has rate-limit counters');
    const key = `198.51.100.${Math.floor(Math.random() * 200)}`;
    const hits = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).hit(key, 60_000)));
    expect(hits.map((hit) => hit.count).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    for (const hit of hits) expect(hit.ttlMs).toBeGreaterThan(50_000);
    expect((await a.hit(`${key}-other`, 60_000)).count).toBe(1);
  });
});
