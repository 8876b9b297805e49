import { randomBytes, randomUUID } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type HushFixture, json, makeHush, userSession } from '../../test/helpers/hush-fixture.js';
import {
  startWebhookReceiver,
  verifiedBody,
  type WebhookReceiver,
} from '../../test/helpers/webhook-receiver.js';
import { createLogger } from '../logging/logger.js';
import type { WebhookOwner } from '../storage/webhook-store.js';
import { webhookSecrets } from '../webhooks/webhook-secret.js';
import { type OwnerLookup, subjectKey } from '../webhooks/webhook-types.js';
import { createWebhookDeliveryJob } from './webhook-delivery.js';
import { createWorkerRunner } from './worker-runner.js';

const client = { ip: '192.0.2.7', userAgent: 'test' };
const MASTER_KEY = randomBytes(32);

describe('webhook delivery job: account endpoints get their own shares’ events', () => {
  let f: HushFixture;
  let receiver: WebhookReceiver;
  /** Who owns which share, as the share store records it once owners land (ShareStore.ownersOf). */
  const owned = new Map<string, WebhookOwner>();
  const lookups: string[][] = [];
  const owners: OwnerLookup = async (subjects) => {
    lookups.push(subjects.map(subjectKey));
    return new Map(
      subjects.flatMap((s) => {
        const owner = owned.get(subjectKey(s));
        return owner ? [[subjectKey(s), owner] as const] : [];
      }),
    );
  };

  beforeAll(async () => {
    f = await makeHush({ HUSH_MASTER_KEY: MASTER_KEY.toString('hex'), HUSH_WEBHOOK_ALLOW_PRIVATE: 'true' });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await f.close();
    await receiver.close();
  });

  it('delivers an account endpoint the events of shares it owns only; an all-accounts one all of them', async () => {
    const register = async (auth: { authorization: string }, hookPath: string, all = false) => {
      const res = await f.hush.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: auth,
        payload: { url: `${receiver.url}${hookPath}`, events: ['share.viewed'], all_accounts: all },
      });
      expect(res.statusCode, res.body).toBe(201);
      return json<{ secret: string }>(res).secret;
    };
    const alice = await userSession(f, 'alice');
    const bob = await userSession(f, 'bob');
    const aliceSecret = await register(bearer(alice.access_token), '/alice');
    await register(bearer(bob.access_token), '/bob');
    const adminSecret = await register(f.adminAuth, '/admin', true);
    const aliceId = (await f.hush.users.get('alice')).id;

    const made = await Promise.all([0, 1, 2].map(() => f.hush.shares.create({ secret: 'content' }, client)));
    const [mine, anonymous, another] = made;
    if (!mine || !anonymous || !another) throw new Error('three shares');
    owned.set(`share:${mine.shareId}`, { kind: 'user', id: aliceId });
    owned.set(`share:${another.shareId}`, { kind: 'user', id: 'someone-else' });
    for (const s of made) await f.hush.shares.reveal(s.secretKey, {}, client);

    const runner = createWorkerRunner({ locks: f.hush.storage.locks, logger: createLogger('silent') });
    const job = runner.add(
      createWebhookDeliveryJob({
        store: f.hush.storage.webhooks,
        audit: f.hush.audit,
        owners,
        secrets: webhookSecrets(MASTER_KEY),
        allowPrivate: true,
        intervalMs: 60_000,
      }),
    );
    expect(await job.runOnce()).toEqual({ enqueued: 4, attempted: 4, delivered: 4 });
    expect(lookups.flat().sort()).toEqual(made.map((s) => `share:${s.shareId}`).sort());

    const [toAlice] = await receiver.waitFor(1, '/alice');
    if (!toAlice) throw new Error('alice got one');
    expect(verifiedBody(aliceSecret, toAlice)).toMatchObject({
      type: 'share.viewed',
      data: { share_id: mine.shareId },
    });
    expect(receiver.received.filter((r) => r.path === '/alice')).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === '/bob')).toHaveLength(0);
    const toAdmin = await receiver.waitFor(3, '/admin');
    const ids = toAdmin.map((r) => (verifiedBody(adminSecret, r).data as { share_id: string }).share_id);
    expect(ids.sort()).toEqual(made.map((s) => s.shareId).sort());
    // The cursor moved on: nothing is enqueued twice.
    expect(await job.runOnce()).toEqual({ enqueued: 0, attempted: 0, delivered: 0 });
  });

  it('sends nothing to the endpoints of a deleted principal, nor all-accounts ones of an admin no longer admin', async () => {
    const register = async (auth: { authorization: string }, hookPath: string, all = false) => {
      const res = await f.hush.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: auth,
        payload: { url: `${receiver.url}${hookPath}`, events: ['share.viewed'], all_accounts: all },
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    const ivy = await userSession(f, 'ivy', 'admin');
    const carl = await userSession(f, 'carl');
    const dana = await userSession(f, 'dana');
    await register(bearer(ivy.access_token), '/ivy-all', true);
    await register(bearer(carl.access_token), '/carl');
    await register(bearer(dana.access_token), '/dana');
    const carlId = (await f.hush.users.get('carl')).id;
    const danaId = (await f.hush.users.get('dana')).id;
    const ivyId = (await f.hush.users.get('ivy')).id;
    await f.hush.users.delete('carl');

    const [carls, danas] = await Promise.all(
      [0, 1].map(() => f.hush.shares.create({ secret: 'content' }, client)),
    );
    if (!carls || !danas) throw new Error('two shares');
    owned.set(`share:${carls.shareId}`, { kind: 'user', id: carlId });
    owned.set(`share:${danas.shareId}`, { kind: 'user', id: danaId });
    for (const s of [carls, danas]) await f.hush.shares.reveal(s.secretKey, {}, client);

    // Ivy's role is read now, as the store has it, but for this test she no longer is an admin
    // (a GitHub role mapping can demote; no route does).
    const users = f.hush.storage.users;
    const runner = createWorkerRunner({ locks: f.hush.storage.locks, logger: createLogger('silent') });
    const job = runner.add(
      createWebhookDeliveryJob({
        store: f.hush.storage.webhooks,
        audit: f.hush.audit,
        owners,
        standing: async (owner) => {
          const user = await users.findById(owner.id);
          if (!user) return 'gone';
          return user.role === 'admin' && user.id !== ivyId ? 'admin' : 'member';
        },
        secrets: webhookSecrets(MASTER_KEY),
        allowPrivate: true,
        intervalMs: 60_000,
      }),
    );
    const ran = await job.runOnce();
    await receiver.waitFor(1, '/dana');
    expect(receiver.received.filter((r) => r.path === '/carl')).toEqual([]);
    expect(receiver.received.filter((r) => r.path === '/ivy-all')).toEqual([]);
    // The first test's admin endpoint still gets both; Dana her own.
    expect(ran.enqueued).toBe(3);
  });

  it('checks the address again at every send: a name that now resolves to loopback is never connected to', async () => {
    let connections = 0;
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    const secrets = webhookSecrets(MASTER_KEY);
    const id = randomUUID();
    const endpoint = {
      id,
      owner: { kind: 'user', id: 'rebinder' },
      url: `https://rebind.invalid:${port}/hook`,
      events: ['share.expired'],
      allAccounts: true,
      sealedSecret: secrets.seal(id, 'whsec_AAAA'),
      createdAt: Date.now(),
    } as const;
    await f.hush.storage.webhooks.createEndpoint(endpoint, []);
    const made = await f.hush.shares.create({ secret: 'content', ttlSeconds: 60 }, client);
    const runner = createWorkerRunner({ locks: f.hush.storage.locks, logger: createLogger('silent') });
    const job = (allowPrivate: boolean) =>
      runner.add(
        createWebhookDeliveryJob({
          store: f.hush.storage.webhooks,
          audit: f.hush.audit,
          owners,
          secrets,
          allowPrivate,
          intervalMs: 60_000,
          // Public when registered; now it answers with loopback (DNS rebinding).
          resolve: async () => [{ address: '127.0.0.1', family: 4 }],
        }),
      );
    await f.hush.audit.record({ type: 'share.expired', subject: { kind: 'share', id: made.shareId } });
    await job(false).runOnce();
    const [first] = await f.hush.storage.webhooks.listDeliveries(endpoint.id, 10);
    expect(first).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'target refused',
      lastStatusCode: undefined,
    });
    expect(connections).toBe(0);
    await new Promise((resolve) => listener.close(resolve));
  });
});
