import { afterEach, describe, expect, it } from 'vitest';
import { createAuditService } from '../src/audit/audit-service.js';
import type { Actor } from '../src/audit/audit-types.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { createSettingsService, type SettingsService } from '../src/settings/settings-service.js';
import type { Backends } from '../src/storage/open-storage.js';
import { openBackendFromEnv } from './conformance/backend-matrix.js';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';
import { newMasterKey } from './helpers/load.js';
import { type NodeStorage, nodeStorageEnv } from './helpers/node-storage.js';
import { tempDirs } from './helpers/temp-dirs.js';

/** An admin as the settings service's actor. */
const as = (name: string): Actor => ({ kind: 'user', id: `u-${name}`, name });

/** How long a node may run on old settings without Redis: one poll (1 s) plus scheduling slack. */
const POLL_BOUND_MS = 1_800;
const client = { ip: '127.0.0.1', userAgent: 'test' };

const dirs = tempDirs('hush-settings-nodes-');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  dirs.cleanup();
});

/** Milliseconds until `check` holds, polling every 10 ms; fails after `limitMs`. */
async function msUntil(check: () => boolean | Promise<boolean>, limitMs: number): Promise<number> {
  const start = performance.now();
  while (!(await check())) {
    if (performance.now() - start > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - start;
}

describe.each<NodeStorage>(['postgres', 'postgres+redis'])('two hush nodes on %s', (backend) => {
  async function twoNodes(): Promise<[HushFixture, HushFixture]> {
    const env = { ...(await nodeStorageEnv(backend)), HUSH_MASTER_KEY: newMasterKey() };
    const a = await makeHush(env);
    cleanups.push(() => a.close());
    const b = await makeHush(env);
    cleanups.push(() => b.close());
    return [a, b];
  }

  it(`a change on node A governs node B within ${POLL_BOUND_MS} ms, and B's admin API shows it`, async () => {
    const [a, b] = await twoNodes();
    const createOnB = (maxViews: number) =>
      b.hush.app.inject({
        method: 'POST',
        url: '/api/v1/shares',
        payload: { secret: 's', max_views: maxViews },
      });
    expect((await createOnB(3)).statusCode).toBe(201);

    const res = await a.hush.app.inject({
      method: 'POST',
      url: '/api/v1/sys/setting',
      headers: a.adminAuth,
      payload: { key: 'shares.max_views', value: 2 },
    });
    expect(res.statusCode).toBe(200);
    // Before anything on B reads the store: B's own copy must follow by itself.
    await msUntil(async () => (await createOnB(3)).statusCode === 400, POLL_BOUND_MS);
    const shown = await b.hush.app.inject({
      method: 'GET',
      url: '/api/v1/sys/setting/shares.max_views',
      headers: b.adminAuth,
    });
    expect(json(shown)).toMatchObject({ value: 2, updated_by: 'admin' });
    expect((await createOnB(2)).statusCode).toBe(201);
  });
});

describe('settings cache between two services', () => {
  /** Two settings services on one database, each as its own node, looking for changes every `pollMs`. */
  async function twoServices(
    backend: NodeStorage,
    pollMs: number,
  ): Promise<[SettingsService, SettingsService]> {
    const env = { ...(await nodeStorageEnv(backend)), HUSH_DATA_DIR: dirs.make() };
    const config = loadConfig(env);
    const open = async () => {
      const backends: Backends = await openBackendFromEnv(env);
      const settings = createSettingsService({
        store: backends.storage.settings,
        audit: createAuditService({ events: backends.storage.events }),
        config,
        logger: createLogger('silent'),
        notifier: backends.storage.notifier,
        pollIntervalMs: pollMs,
      });
      await settings.start();
      cleanups.push(async () => {
        await settings.close();
        await backends.close();
      });
      return settings;
    };
    return [await open(), await open()];
  }

  it.each<NodeStorage>(['postgres+redis', 'postgres'])(
    'on %s, another node learns of a change at once, without waiting for its poll (60 s here)',
    async (backend) => {
      const [a, b] = await twoServices(backend, 60_000);
      await a.set('shares.max_views', 4, as('alice'), client);
      expect(a.get('shares.max_views')).toBe(4);
      const ms = await msUntil(() => b.get('shares.max_views') === 4, 2_000);
      expect(ms).toBeLessThan(500);
      await b.reset('shares.max_views', as('bob'), client);
      await msUntil(() => a.get('shares.max_views') === 100, 500);
    },
  );

  it('without a notifier between them (two SQLite storages on one file), nothing arrives before the poll, and the poll brings it', async () => {
    // Each storage's in-process notifier reaches only its own process: the poll is the path here.
    const [slowA, slowB] = await twoServices('sqlite', 60_000);
    await slowA.set('shares.max_views', 4, as('alice'), client);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slowB.get('shares.max_views')).toBe(100);

    const [a, b] = await twoServices('sqlite', 100);
    await a.set('auth.password_login', false, as('alice'), client);
    await msUntil(() => b.get('auth.password_login') === false, 1_000);
  });
});
