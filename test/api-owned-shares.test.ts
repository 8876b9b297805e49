import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type HushFixture, json, makeHush, userSession } from './helpers/hush-fixture.js';

interface OwnedBody {
  total: number;
  page: number;
  page_size: number;
  shares: {
    id: string;
    share_id: string;
    state: string;
    end_reason: string | null;
    views_left: number;
    passphrase_required: boolean;
  }[];
}

/**
 * Shares created while signed in belong to their creator, who lists and burns them by id; the
 * `shares.require_sign_in` setting keeps creation to signed-in `shares:write` tokens on every
 * surface that creates shares.
 */
describe('owned shares', () => {
  let f: HushFixture;
  let alice: string;
  let bob: string;
  const inject = (
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string> = {},
    payload?: object,
  ) => f.hush.app.inject({ method, url, headers, ...(payload && { payload }) });
  const create = (token?: string, payload: object = { secret: 'owned secret' }) =>
    inject('POST', '/api/v1/shares', token ? bearer(token) : {}, payload);
  const list = async (token: string, query = 'owner=me') => {
    const res = await inject('GET', `/api/v1/shares?${query}`, bearer(token));
    expect(res.statusCode, res.body).toBe(200);
    return json<OwnedBody>(res);
  };
  const setRequireSignIn = async (value: boolean) => {
    const res = await inject('POST', '/api/v1/sys/setting', f.adminAuth, {
      key: 'shares.require_sign_in',
      value,
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    f = await makeHush();
    alice = (await userSession(f, 'alice')).access_token;
    bob = (await userSession(f, 'bob')).access_token;
  });
  afterAll(() => f?.close());

  it('records the creator: the owner lists their shares newest first with state, others see none of them', async () => {
    const keys: string[] = [];
    for (const secret of ['first', 'second', 'third']) {
      const res = await create(alice, { secret, max_views: 2 });
      expect(res.statusCode, res.body).toBe(201);
      keys.push(json<{ secret_key: string }>(res).secret_key);
    }
    expect((await create(undefined, { secret: 'anonymous' })).statusCode).toBe(201);
    expect((await create(bob, { secret: "bob's" })).statusCode).toBe(201);

    const reveal = await inject('POST', `/api/v1/shares/${keys[0]}/reveal`);
    expect(reveal.statusCode).toBe(200);
    const mine = await list(alice);
    expect(mine.total).toBe(3);
    expect(mine.shares).toHaveLength(3);
    expect(mine.shares.map((s) => s.state)).toEqual(['pending', 'pending', 'pending']);
    expect(mine.shares[2]?.views_left).toBe(1);
    // Never a key or content: only what a receipt shows.
    expect(JSON.stringify(mine)).not.toMatch(/first|second|third|secret_key|receipt_key/);
    expect(mine.shares.every((s) => s.id === s.share_id)).toBe(true);
    expect((await list(alice, 'owner=me&page=2&page_size=2')).shares).toHaveLength(1);
    expect((await list(bob)).total).toBe(1);

    const created = await f.hush.audit.list({ type: 'share.created', actor: 'alice' }, 0, 10);
    expect(created.total).toBe(3);
  });

  it('lets the owner burn their share by id, once, and nobody else', async () => {
    const res = await create(alice, { secret: 'to burn' });
    const key = json<{ secret_key: string }>(res).secret_key;
    const id = (await list(alice)).shares[0]?.id ?? '';

    const byBob = await inject('POST', `/api/v1/shares/owned/${id}/burn`, bearer(bob));
    expect(byBob.statusCode).toBe(404);
    const [one, two] = await Promise.all([
      inject('POST', `/api/v1/shares/owned/${id}/burn`, bearer(alice)),
      inject('POST', `/api/v1/shares/owned/${id}/burn`, bearer(alice)),
    ]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([204, 404]);
    expect((await inject('POST', `/api/v1/shares/${key}/reveal`)).statusCode).toBe(404);
    const burned = (await list(alice)).shares.find((s) => s.id === id);
    expect(burned).toMatchObject({ state: 'burned', end_reason: 'burned_by_sender' });
    const events = await f.hush.audit.list({ type: 'share.burned', subject: id }, 0, 10);
    expect(events.events.map((e) => [e.actor.name, e.data.reason])).toEqual([['alice', 'burned_by_sender']]);
  });

  it('refuses what is not valid: no token, another owner value, a bad id, a token without shares:write', async () => {
    expect((await inject('GET', '/api/v1/shares?owner=me')).statusCode).toBe(401);
    expect((await inject('GET', '/api/v1/shares?owner=bob', bearer(alice))).statusCode).toBe(400);
    expect((await inject('GET', '/api/v1/shares', bearer(alice))).statusCode).toBe(400);
    expect((await inject('POST', '/api/v1/shares/owned/not-an-id/burn', bearer(alice))).statusCode).toBe(400);

    const readOnly = (await userSession(f, 'carol', 'user', { scope: 'secrets:read' })).access_token;
    expect((await inject('GET', '/api/v1/shares?owner=me', bearer(readOnly))).statusCode).toBe(403);
    // A token given on create is checked, never quietly ignored.
    expect((await create(readOnly)).statusCode).toBe(403);
    expect((await create('not-a-token')).statusCode).toBe(401);
  });

  it('with shares.require_sign_in, anonymous creation is refused on every surface and signed-in creation works', async () => {
    await setRequireSignIn(true);
    try {
      const refused = await create(undefined);
      expect(refused.statusCode).toBe(401);
      expect(json(refused)).toMatchObject({ error: 'sign_in_required' });
      expect(refused.body).not.toContain('owned secret');
      const seed000 = await inject('POST', '/api/secret', {}, { secret: 's', passphrase: 'p' });
      expect(seed000.statusCode).toBe(401);
      const seed002 = await inject('POST', '/generate', {}, { secret: 's', passphrase: 'p' });
      expect(seed002.statusCode).toBe(401);
      const ots = await inject('POST', '/api/v1/share', {}, { secret: 's' });
      expect(ots.statusCode).toBe(404);
      expect(ots.headers['x-ots-intended-status']).toBe('401');

      const askAnonymously = await inject('POST', '/api/v1/requests', {}, { note: 'n' });
      expect(json(askAnonymously)).toMatchObject({ error: 'sign_in_required' });
      expect((await inject('POST', '/api/v1/requests', bearer(alice), { note: 'n' })).statusCode).toBe(201);

      const uploadAnonymously = await inject('POST', '/api/v1/uploads', {}, { bytes: 10 });
      expect(json(uploadAnonymously)).toMatchObject({ error: 'sign_in_required' });
      expect((await inject('POST', '/api/v1/uploads', bearer(alice), { bytes: 10 })).statusCode).toBe(201);

      expect((await create(alice)).statusCode).toBe(201);
      const signed = await inject('POST', '/api/secret', bearer(alice), { secret: 's', passphrase: 'p' });
      expect(signed.statusCode, signed.body).toBe(201);
      const generated = await inject('POST', '/generate', bearer(alice), { secret: 's', passphrase: 'p' });
      expect(generated.statusCode, generated.body).toBe(201);
      const basic = `Basic ${Buffer.from(`alice:${alice}`).toString('base64')}`;
      const viaOts = await inject('POST', '/api/v1/share', { authorization: basic }, { secret: 's' });
      expect(viaOts.statusCode, viaOts.body).toBe(200);
      expect((await list(alice)).total).toBe(8);
    } finally {
      await setRequireSignIn(false);
    }
    expect((await create(undefined)).statusCode).toBe(201);
  });
});
