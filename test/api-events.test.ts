import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  bearer,
  type HushFixture,
  json,
  login,
  makeHush,
  userSession,
} from './helpers/hush-fixture.js';

interface EventsBody {
  total: number;
  page: number;
  page_size: number;
  next_after: number | null;
  events: {
    id: string;
    seq: number;
    type: string;
    actor: { kind: string; id: string | null; name: string | null };
    subject: { kind: string; id: string } | null;
    data: Record<string, unknown>;
    created_at: string;
    client_ip: string | null;
    request_id: string | null;
  }[];
}

/** The first 401 has no error in the challenge; a rejected token names `invalid_token`. */
const CHALLENGE = 'Bearer realm="hush"';

describe('GET /api/v1/events', () => {
  let f: HushFixture;
  /** Events written before the share traffic: the admin's bootstrap and sign-in. */
  let accountEvents: number;
  const get = (url: string, headers: Record<string, string> = f.adminAuth) =>
    f.hush.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    f = await makeHush();
    accountEvents = json<EventsBody>(await get('/api/v1/events?page_size=100')).total;
    for (let i = 0; i < 5; i++) {
      const c = json(
        await f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload: { secret: `s${i}` } }),
      );
      await f.hush.app.inject({ method: 'POST', url: `/api/v1/shares/${c.secret_key}/reveal` });
    }
  });
  afterAll(() => f.close());

  it('is admin-only: a missing or malformed bearer is 401 unauthorized, a wrong one 401 invalid_token', async () => {
    const token = f.adminAuth.authorization.slice('Bearer '.length);
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Basic abc' },
      { authorization: 'Bearer' },
    ]) {
      const res = await get('/api/v1/events', headers);
      expect(res.statusCode).toBe(401);
      expect(json(res).error).toBe('unauthorized');
      expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    }
    for (const headers of [
      { authorization: `Bearer ${token}x` },
      { authorization: `bearer  ${token.slice(1)}` },
      { authorization: `Bearer ${token.slice(0, -1)}` },
    ]) {
      const res = await get('/api/v1/events', headers);
      expect(res.statusCode).toBe(401);
      expect(json(res).error).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toBe(`${CHALLENGE}, error="invalid_token"`);
    }
    expect((await get('/api/v1/events', { authorization: `bearer ${token}` })).statusCode).toBe(200);
  });

  it('lists newest first with pagination', async () => {
    const all = json<EventsBody>(await get('/api/v1/events?page_size=100'));
    expect(accountEvents).toBeGreaterThan(0);
    expect(all.total).toBe(accountEvents + 10);
    const times = all.events.map((e) => Date.parse(e.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.events[0]?.type).toBe('share.viewed');
    expect(all.events[9]?.type).toBe('share.created');
    // Share traffic has no principal; each event names its share and the request that made it.
    expect(all.events[0]).toMatchObject({
      actor: { kind: 'anonymous', id: null, name: null },
      subject: { kind: 'share', id: expect.any(String) },
      data: {},
      request_id: expect.any(String),
    });
    // Older than the shares: the admin signing in (as itself, never with a token in the event).
    const older = all.events.slice(10);
    expect(older.map((e) => e.type)).toContain('auth.login');
    expect(older.find((e) => e.type === 'auth.login')?.actor).toMatchObject({ kind: 'user', name: 'admin' });
    expect(older.every((e) => e.subject?.kind !== 'share')).toBe(true);

    const p1 = json<EventsBody>(await get('/api/v1/events?page=1&page_size=4'));
    const p3 = json<EventsBody>(await get('/api/v1/events?page=3&page_size=4'));
    expect(p1).toMatchObject({ total: accountEvents + 10, page: 1, page_size: 4 });
    expect(p1.events.map((e) => e.id)).toEqual(all.events.slice(0, 4).map((e) => e.id));
    expect(p3.events.map((e) => e.id)).toEqual(all.events.slice(8, 12).map((e) => e.id));
    expect(json<EventsBody>(await get('/api/v1/events?page=9')).events).toEqual([]);
  });

  it('filters by type, type family, actor, subject and time window', async () => {
    const reads = json<EventsBody>(await get('/api/v1/events?type=share.viewed&page_size=100'));
    expect(reads.total).toBe(5);
    expect(reads.events.every((e) => e.type === 'share.viewed')).toBe(true);
    // An old upper-case name still selects its type.
    expect(json<EventsBody>(await get('/api/v1/events?type=READ&page_size=100')).events).toEqual(
      reads.events,
    );
    const shares = json<EventsBody>(await get('/api/v1/events?type=share.&page_size=100'));
    expect(shares.total).toBe(10);
    expect(
      json<EventsBody>(await get('/api/v1/events?type=auth.&actor=admin')).events.map((e) => e.type),
    ).toContain('auth.login');
    expect(json<EventsBody>(await get('/api/v1/events?actor_kind=anonymous')).total).toBe(10);
    expect(json<EventsBody>(await get('/api/v1/events?actor=nobody')).total).toBe(0);
    const one = reads.events[0]?.subject?.id ?? '';
    const story = json<EventsBody>(await get(`/api/v1/events?subject_kind=share&subject=${one}`));
    expect(story.events.map((e) => e.type)).toEqual(['share.viewed', 'share.created']);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(json<EventsBody>(await get(`/api/v1/events?since=${future}`)).total).toBe(0);
    expect(json<EventsBody>(await get(`/api/v1/events?until=${future}`)).total).toBe(accountEvents + 10);
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(json<EventsBody>(await get(`/api/v1/events?until=${past}`)).total).toBe(0);
  });

  it('reads by cursor: after a seq, oldest first, with next_after to continue from', async () => {
    const first = json<EventsBody>(await get('/api/v1/events?after=0&page_size=3&type=share.'));
    expect(first.events.map((e) => e.type)).toEqual(['share.created', 'share.viewed', 'share.created']);
    expect(first.total).toBeUndefined();
    const seqs = first.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(first.next_after).toBe(seqs.at(-1));
    const rest = json<EventsBody>(
      await get(`/api/v1/events?after=${first.next_after}&page_size=100&type=share.`),
    );
    expect(rest.events).toHaveLength(7);
    expect(rest.events.every((e) => e.seq > (first.next_after ?? 0))).toBe(true);
    const end = json<EventsBody>(await get(`/api/v1/events?after=${rest.next_after}&type=share.`));
    expect(end).toMatchObject({ events: [], next_after: rest.next_after });
    // Events the filter does not match (a sign-in) move the cursor past them all the same.
    await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const newer = json<EventsBody>(await get(`/api/v1/events?after=${end.next_after}&page_size=100`));
    expect(newer.events.map((e) => e.type)).toContain('auth.login');
    const past = json<EventsBody>(await get(`/api/v1/events?after=${end.next_after}&type=share.`));
    expect(past).toMatchObject({ events: [], next_after: newer.events.at(-1)?.seq });
    expect(newer.next_after).toBe(past.next_after);
    const paged = await get('/api/v1/events?after=0&page=2');
    expect([paged.statusCode, json(paged).error]).toEqual([400, 'bad_request']);
  });

  it('checks the bearer before the query: strangers get 401, not validation details', async () => {
    const res = await get('/api/v1/events?page=0&nope=1', {});
    expect(res.statusCode).toBe(401);
    expect((await get('/api/event?page=0', {})).statusCode).toBe(401);
  });

  it('rejects bad query parameters with 400', async () => {
    for (const query of [
      'page=0',
      'page_size=101',
      'type=NOPE',
      'type=share',
      'type=share.viewed.x',
      'actor_kind=robot',
      'after=-1',
      'since=yesterday',
      'page=1e400',
      'foo=1',
    ]) {
      const res = await get(`/api/v1/events?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(json(res).error).toBe('bad_request');
    }
  });

  it('refuses pages that start beyond the 100000th event (deep OFFSET scans), on both routes', async () => {
    for (const route of ['/api/v1/events', '/api/event']) {
      for (const query of ['page=1001&page_size=100', 'page=100001&page_size=1']) {
        expect((await get(`${route}?${query}`)).statusCode, `${route}?${query}`).toBe(200);
      }
      for (const query of [
        'page=1002&page_size=100',
        'page=100002&page_size=1',
        'page=1000000&page_size=100',
      ]) {
        const res = await get(`${route}?${query}`);
        expect(res.statusCode, `${route}?${query}`).toBe(400);
        expect(json(res)).toMatchObject({
          error: 'bad_request',
          message: expect.stringMatching(/10000[01]/),
        });
      }
    }
  });

  it('never exposes tokens: events carry the share id only', async () => {
    const c = json(
      await f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload: { secret: 'z' } }),
    );
    const body = (await get('/api/v1/events?page_size=100')).body;
    expect(body).not.toContain(c.secret_key as string);
    expect(body).not.toContain(c.receipt_key as string);
    expect(body).not.toContain(f.adminAuth.authorization.slice('Bearer '.length));
    expect(body).not.toContain(ADMIN_PASSWORD);
  });
});

describe('events need a signed-in admin account', () => {
  let f: HushFixture;
  const routes = ['/api/v1/events', '/api/event'];
  const get = (url: string, headers: Record<string, string>) =>
    f.hush.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());

  it('without a token: 401 unauthorized with a bare challenge', async () => {
    for (const route of routes) {
      const res = await get(route, {});
      expect(res.statusCode, route).toBe(401);
      expect(json(res).error).toBe('unauthorized');
      expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    }
  });

  it("with a user account's token: 403, and the query is not looked at", async () => {
    const user = await userSession(f, 'someone', 'user');
    expect(user.scope.split(' ')).not.toContain('admin');
    for (const url of [...routes, '/api/v1/events?page=0&nope=1']) {
      const res = await get(url, bearer(user.access_token));
      expect(res.statusCode, url).toBe(403);
      expect(json(res).error).toBe('insufficient_scope');
      expect(res.headers['www-authenticate']).toBe(`${CHALLENGE}, error="insufficient_scope"`);
    }
  });

  it("with an admin's token that lacks the admin scope: 403 insufficient_scope", async () => {
    const narrow = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD, { scope: 'secrets:read' });
    for (const route of routes) {
      const res = await get(route, bearer(narrow.access_token));
      expect(res.statusCode, route).toBe(403);
      expect(json(res).error).toBe('insufficient_scope');
    }
  });

  it('with a garbage, refresh, revoked or expired token: 401 invalid_token', async () => {
    const refreshOnly = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const revoked = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD);
    const revoke = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/token/revoke',
      payload: { token: revoked.access_token },
    });
    expect(revoke.statusCode).toBe(200);
    const expiring = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD, { ttl_seconds: 1 });
    expect((await get(routes[0] as string, bearer(expiring.access_token))).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const token of [
      'garbage',
      'x'.repeat(64),
      refreshOnly.refresh_token,
      revoked.access_token,
      expiring.access_token,
    ]) {
      for (const route of routes) {
        const res = await get(route, bearer(token));
        expect(res.statusCode, `${route} ${token.slice(0, 12)}`).toBe(401);
        expect(json(res).error).toBe('invalid_token');
        expect(res.headers['www-authenticate']).toBe(`${CHALLENGE}, error="invalid_token"`);
      }
    }
    // The admin's own session is untouched by all of that.
    expect((await get(routes[0] as string, f.adminAuth)).statusCode).toBe(200);
  });
});
