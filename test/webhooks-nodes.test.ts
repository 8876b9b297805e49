import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME } from './helpers/hush-fixture.js';
import { nodeStorageEnv } from './helpers/node-storage.js';
import { startWebhookReceiver, verifiedBody, type WebhookReceiver } from './helpers/webhook-receiver.js';

/**
 * Two listening nodes of one deployment (PostgreSQL with Redis, share content in Redis), both
 * running the webhooks worker and forced to tick at once: each event reaches the endpoint once.
 */
describe('webhooks on two nodes (redis mode)', () => {
  const dirs: string[] = [];
  const nodes: RunningServer[] = [];
  let receiver: WebhookReceiver;
  const call = async (node: RunningServer, method: string, url: string, body?: unknown, token?: string) => {
    const res = await fetch(`${node.url}/api/v1${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const env = {
      ...(await nodeStorageEnv('redis')),
      HUSH_MASTER_KEY: randomBytes(32).toString('hex'),
      HUSH_PORT: '0',
      HUSH_BOOTSTRAP_ADMIN_USERNAME: ADMIN_USERNAME,
      HUSH_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HUSH_RATE_LIMIT_MAX: '0',
      HUSH_WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'hush-webhook-node-'));
      dirs.push(dir);
      nodes.push(await startServer(loadConfig({ ...env, HUSH_DATA_DIR: dir }), createLogger('silent')));
    }
    receiver = await startWebhookReceiver();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await receiver?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each share.viewed once, whichever node the share was viewed on', async () => {
    const [a, b] = nodes;
    if (!a || !b) throw new Error('two nodes');
    const login = await call(a, 'POST', '/token/create', {
      grant_type: 'password',
      username: ADMIN_USERNAME,
      password: ADMIN_PASSWORD,
    });
    const token = String(login.body.access_token);
    const hook = await call(
      b,
      'POST',
      '/webhooks',
      { url: `${receiver.url}/nodes`, all_accounts: true, events: ['share.viewed'] },
      token,
    );
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const secret = String(hook.body.secret);

    const count = 12;
    for (let i = 0; i < count; i++) {
      const node = i % 2 ? a : b;
      const created = await call(node, 'POST', '/shares', { secret: `two nodes ${i}` });
      expect((await call(i % 3 ? a : b, 'POST', `/shares/${created.body.secret_key}/reveal`)).status).toBe(
        200,
      );
      // Both nodes' workers tick at once, besides their own timers.
      if (i % 4 === 0) await Promise.all([a.webhookDelivery.runOnce(), b.webhookDelivery.runOnce()]);
    }
    const got = await receiver.waitFor(count, '/nodes', 30_000);
    for (let i = 0; i < 3; i++) await Promise.all([a.webhookDelivery.runOnce(), b.webhookDelivery.runOnce()]);
    const all = receiver.received.filter((r) => r.path === '/nodes');
    expect(all).toHaveLength(count);
    const shareIds = got.map((r) => (verifiedBody(secret, r).data as { share_id: string }).share_id);
    expect(new Set(shareIds).size).toBe(count);
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(count);
  }, 60_000);
});
