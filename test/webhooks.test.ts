import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptAnswer, newRequestKeyPair } from '../src/client/request-crypto.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logging/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  bearer,
  json,
  makeHush,
  userSession,
} from './helpers/hush-fixture.js';
import { startWebhookReceiver, verifiedBody, type WebhookReceiver } from './helpers/webhook-receiver.js';

interface Created {
  id: string;
  secret: string;
  url: string;
  events: string[];
  all_accounts: boolean;
}
interface Delivery {
  id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}

const NEEDLE = 'webhook-needle-content-7f3a';

describe('webhooks from a listening hush to a local receiver (HUSH_WEBHOOK_ALLOW_PRIVATE=true)', () => {
  let dir: string;
  let server: RunningServer;
  let receiver: WebhookReceiver;
  let auth: { authorization: string };
  const api = async (method: string, url: string, body?: unknown, headers = auth) => {
    const res = await fetch(`${server.url}/api/v1${url}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const share = async (extra: Record<string, unknown> = {}) => {
    const res = await api('POST', '/shares', { secret: NEEDLE, ...extra }, {} as typeof auth);
    expect(res.status).toBe(201);
    return res.body as { secret_key: string; receipt_key: string };
  };
  const register = async (hookPath: string, body: Record<string, unknown> = {}) => {
    const res = await api('POST', '/webhooks', {
      url: `${receiver.url}${hookPath}`,
      all_accounts: true,
      ...body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as unknown as Created;
  };
  const deliveries = async (id: string) =>
    ((await api('GET', `/webhooks/${id}/deliveries`)).body.deliveries ?? []) as Delivery[];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-webhooks-'));
    const config = loadConfig({
      HUSH_DATA_DIR: dir,
      HUSH_PORT: '0',
      HUSH_BOOTSTRAP_ADMIN_USERNAME: ADMIN_USERNAME,
      HUSH_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      HUSH_RATE_LIMIT_MAX: '0',
      HUSH_SHARE_TTL_MIN_SECONDS: '1',
      HUSH_WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    server = await startServer(config, createLogger('silent'));
    receiver = await startWebhookReceiver((hookPath, n) => (hookPath === '/flaky' && n === 0 ? 500 : 204));
    const login = await api('POST', '/token/create', {
      grant_type: 'password',
      username: ADMIN_USERNAME,
      password: ADMIN_PASSWORD,
    });
    auth = bearer(String(login.body.access_token));
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers share viewed, burned and expired once each, signed, with stable ids and no content', async () => {
    const hook = await register('/all');
    expect(hook.secret).toMatch(/^whsec_/);
    // Sealed at rest: neither the secret nor its key bytes are in the database files.
    const files = readdirSync(dir).filter((name) => name.startsWith('hush.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const bytes = readFileSync(path.join(dir, name));
      expect(bytes.includes(hook.secret.slice(6)), name).toBe(false);
      expect(bytes.includes(Buffer.from(hook.secret.slice(6), 'base64')), name).toBe(false);
    }
    expect(hook.events).toEqual(['share.viewed', 'share.burned', 'share.expired', 'request.answered']);
    const viewed = await share();
    expect(
      (await api('POST', `/shares/${viewed.secret_key}/reveal`, undefined, {} as typeof auth)).status,
    ).toBe(200);
    const burned = await share();
    expect((await api('DELETE', `/shares/${burned.secret_key}`, undefined, {} as typeof auth)).status).toBe(
      204,
    );
    const expiring = await share({ ttl_seconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await server.sweeper.runOnce();

    const got = await receiver.waitFor(3, '/all');
    const bodies = got.map((webhook) => verifiedBody(hook.secret, webhook));
    expect(bodies.map((b) => b.type).sort()).toEqual(['share.burned', 'share.expired', 'share.viewed']);
    for (const b of bodies) {
      expect(Object.keys(b).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(typeof (b.data as { share_id: unknown }).share_id).toBe('string');
    }
    expect(bodies.find((b) => b.type === 'share.burned')?.data).toMatchObject({ reason: 'burned' });
    for (const webhook of got) {
      for (const needle of [
        NEEDLE,
        hook.secret,
        hook.secret.slice(6),
        viewed.secret_key,
        burned.secret_key,
        expiring.secret_key,
        expiring.receipt_key,
      ]) {
        expect(webhook.body).not.toContain(needle);
        expect(JSON.stringify(webhook.headers)).not.toContain(needle);
      }
      expect(webhook.headers['content-type']).toBe('application/json');
    }

    // Nothing twice: more ticks send nothing new; the ids are those the API lists as delivered.
    await server.webhookDelivery.runOnce();
    await server.webhookDelivery.runOnce();
    expect(receiver.received.filter((r) => r.path === '/all')).toHaveLength(3);
    const listed = await deliveries(hook.id);
    expect(listed.map((d) => d.id).sort()).toEqual(got.map((w) => String(w.headers['webhook-id'])).sort());
    for (const d of listed) {
      expect(d).toMatchObject({
        status: 'delivered',
        attempts: 1,
        last_status_code: 204,
        next_attempt_at: null,
      });
      expect(d.delivered_at).not.toBeNull();
    }
    const mine = (await api('GET', '/webhooks')).body.webhooks as { id: string; deliveries: object }[];
    expect(mine.find((w) => w.id === hook.id)?.deliveries).toEqual({ pending: 0, delivered: 3, failed: 0 });
    expect(JSON.stringify(mine)).not.toContain(hook.secret);
  });

  it('retries a delivery answered 500 with the same webhook-id, then shows it delivered', async () => {
    const hook = await register('/flaky', { events: ['share.viewed'] });
    const viewed = await share();
    await api('POST', `/shares/${viewed.secret_key}/reveal`, undefined, {} as typeof auth);
    const [first] = await receiver.waitFor(1, '/flaky');
    // The worker records the answer just after the receiver gave it.
    await expect.poll(async () => (await deliveries(hook.id))[0]?.attempts, { timeout: 5_000 }).toBe(1);
    const [pending] = await deliveries(hook.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
    const answeredAt = Date.now();
    const due = Date.parse(String(pending?.next_attempt_at)) - answeredAt;
    expect(due).toBeGreaterThan(0);
    expect(due).toBeLessThanOrEqual(10_000);

    const [, second] = await receiver.waitFor(2, '/flaky', 25_000);
    // Not before its backoff (the next tick may add a few seconds).
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(due - 1_000);
    if (!first || !second) throw new Error('two attempts');
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(verifiedBody(hook.secret, second)).toEqual(verifiedBody(hook.secret, first));
    await expect
      .poll(async () => (await deliveries(hook.id))[0]?.status, { timeout: 5_000 })
      .toBe('delivered');
    expect((await deliveries(hook.id))[0]).toMatchObject({ attempts: 2, last_status_code: 204 });
  }, 40_000);

  it("gives an account's endpoint the events of its own shares and requests, and no one else's", async () => {
    const created = await api('POST', '/users/create', {
      username: 'dora',
      role: 'user',
      password: 'dora password 0123456789',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const login = await api('POST', '/token/create', {
      grant_type: 'password',
      username: 'dora',
      password: 'dora password 0123456789',
    });
    const dora = bearer(String(login.body.access_token));
    const hook = await api('POST', '/webhooks', { url: `${receiver.url}/own` }, dora);
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const secret = String(hook.body.secret);

    // Dora's share (made with her token) and someone's anonymous one, both revealed.
    const owned = await api('POST', '/shares', { secret: NEEDLE }, dora);
    const theirs = await share();
    for (const key of [String(owned.body.secret_key), theirs.secret_key]) {
      expect((await api('POST', `/shares/${key}/reveal`, undefined, {} as typeof auth)).status).toBe(200);
    }
    // Dora's request, answered by someone without an account.
    const asked = await api('POST', '/requests', { note: 'the VPN key, please' }, dora);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const { publicKey } = await newRequestKeyPair();
    const answer = await encryptAnswer(publicKey, NEEDLE);
    const answered = await api(
      'POST',
      `/requests/respond/${String(asked.body.respond_key)}`,
      { answer },
      {} as typeof auth,
    );
    expect(answered.status, JSON.stringify(answered.body)).toBe(204);

    const ownedReceipt = await api(
      'GET',
      `/receipts/${String(owned.body.receipt_key)}`,
      undefined,
      {} as typeof auth,
    );
    const got = await receiver.waitFor(2, '/own');
    await server.webhookDelivery.runOnce();
    expect(receiver.received.filter((r) => r.path === '/own')).toHaveLength(2);
    const bodies = got.map((webhook) => verifiedBody(secret, webhook));
    expect(bodies.map((b) => [b.type, b.data]).sort()).toEqual([
      ['request.answered', { request_id: asked.body.request_id }],
      ['share.viewed', { share_id: ownedReceipt.body.share_id }],
    ]);
    for (const webhook of got) {
      expect(webhook.body).not.toContain(NEEDLE);
      expect(webhook.body).not.toContain(answer);
    }
  });

  it('removes an endpoint: nothing more reaches it', async () => {
    const hook = await register('/gone', { events: ['share.viewed'] });
    expect((await api('DELETE', `/webhooks/${hook.id}`)).status).toBe(204);
    expect((await api('GET', `/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    const viewed = await share();
    await api('POST', `/shares/${viewed.secret_key}/reveal`, undefined, {} as typeof auth);
    await server.webhookDelivery.runOnce();
    expect(receiver.received.filter((r) => r.path === '/gone')).toEqual([]);
  });
});

describe('webhook registration without HUSH_WEBHOOK_ALLOW_PRIVATE', () => {
  let f: Awaited<ReturnType<typeof makeHush>>;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());
  const post = (payload: object, headers = f.adminAuth) =>
    f.hush.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload });

  it('refuses loopback, private and plain-http targets with 400, and bad input', async () => {
    for (const [url, code] of [
      ['http://127.0.0.1:9/hook', 'invalid_webhook'],
      ['https://127.0.0.1/hook', 'webhook_target_refused'],
      ['https://localhost/hook', 'webhook_target_refused'],
      ['https://10.1.2.3/hook', 'webhook_target_refused'],
      ['https://[::1]/hook', 'webhook_target_refused'],
      ['https://[::ffff:192.168.0.1]/hook', 'webhook_target_refused'],
      ['https://2130706433/hook', 'webhook_target_refused'],
      ['https://user:pw@hooks.example.com/', 'invalid_webhook'],
      ['ftp://hooks.example.com/', 'invalid_webhook'],
      ['not a url', 'invalid_webhook'],
    ]) {
      const res = await post({ url });
      expect(res.statusCode, url).toBe(400);
      expect(json(res).error, url).toBe(code);
    }
    const badEvents = await post({ url: 'https://127.0.0.1/', events: ['share.created'] });
    expect(badEvents.statusCode).toBe(400);
    expect((await f.hush.app.inject({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(401);
  });

  it('keeps endpoints to their owners; all-accounts ones and ?all=true to admins', async () => {
    const { access_token } = await userSession(f, 'hooker');
    const user = bearer(access_token);
    expect((await post({ url: 'https://1.1.1.1/hook', all_accounts: true }, user)).statusCode).toBe(403);
    expect(
      (await f.hush.app.inject({ method: 'GET', url: '/api/v1/webhooks?all=true', headers: user }))
        .statusCode,
    ).toBe(403);
    const admins = await post({ url: 'https://1.1.1.1/admin-hook', all_accounts: true });
    expect(admins.statusCode, admins.body).toBe(201);
    const id = json<{ id: string }>(admins).id;
    const seen = await f.hush.app.inject({
      method: 'GET',
      url: `/api/v1/webhooks/${id}/deliveries`,
      headers: user,
    });
    expect(seen.statusCode).toBe(404);
    expect(
      (await f.hush.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: user }))
        .statusCode,
    ).toBe(404);
    const listed = await f.hush.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: user });
    expect(json(listed)).toEqual({ webhooks: [] });
    const all = await f.hush.app.inject({
      method: 'GET',
      url: '/api/v1/webhooks?all=true',
      headers: f.adminAuth,
    });
    expect(json<{ webhooks: { id: string }[] }>(all).webhooks.map((w) => w.id)).toContain(id);
    const events = await f.hush.audit.list({ type: 'webhook.created' }, 1, 10);
    expect(events.events[0]?.data).toEqual({
      host: '1.1.1.1',
      all_accounts: true,
      events: 'share.viewed,share.burned,share.expired,request.answered',
    });
  });
});
