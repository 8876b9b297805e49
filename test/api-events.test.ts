import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH, ADMIN_TOKEN, type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

interface EventsBody {
  total: number;
  page: number;
  page_size: number;
  events: {
    id: string;
    type: string;
    share_id: string | null;
    created_at: string;
    client_ip: string | null;
  }[];
}

describe('GET /api/v1/events', () => {
  let f: HushFixture;
  const get = (url: string, headers: Record<string, string> = ADMIN_AUTH) =>
    f.hush.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    f = await makeHush();
    for (let i = 0; i < 5; i++) {
      const c = json(
        await f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload: { secret: `s${i}` } }),
      );
      await f.hush.app.inject({ method: 'POST', url: `/api/v1/shares/${c.secret_key}/reveal` });
    }
  });
  afterAll(() => f.close());

  it('is admin-only: missing, malformed or wrong bearer is 401', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Basic abc' },
      { authorization: 'Bearer' },
      { authorization: `Bearer ${ADMIN_TOKEN}x` },
      { authorization: `bearer  ${ADMIN_TOKEN.slice(1)}` },
    ]) {
      const res = await get('/api/v1/events', headers);
      expect(res.statusCode).toBe(401);
      expect(json(res).error).toBe('unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect((await get('/api/v1/events', { authorization: `bearer ${ADMIN_TOKEN}` })).statusCode).toBe(200);
  });

  it('lists newest first with pagination', async () => {
    const all = json<EventsBody>(await get('/api/v1/events?page_size=100'));
    expect(all.total).toBe(10);
    const times = all.events.map((e) => Date.parse(e.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.events[0]?.type).toBe('READ');
    expect(all.events.at(-1)?.type).toBe('CREATE');

    const p1 = json<EventsBody>(await get('/api/v1/events?page=1&page_size=4'));
    const p3 = json<EventsBody>(await get('/api/v1/events?page=3&page_size=4'));
    expect(p1).toMatchObject({ total: 10, page: 1, page_size: 4 });
    expect(p1.events.map((e) => e.id)).toEqual(all.events.slice(0, 4).map((e) => e.id));
    expect(p3.events.map((e) => e.id)).toEqual(all.events.slice(8).map((e) => e.id));
    expect(json<EventsBody>(await get('/api/v1/events?page=9')).events).toEqual([]);
  });

  it('filters by type and time window', async () => {
    const reads = json<EventsBody>(await get('/api/v1/events?type=READ&page_size=100'));
    expect(reads.total).toBe(5);
    expect(reads.events.every((e) => e.type === 'READ')).toBe(true);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(json<EventsBody>(await get(`/api/v1/events?since=${future}`)).total).toBe(0);
    expect(json<EventsBody>(await get(`/api/v1/events?until=${future}`)).total).toBe(10);
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(json<EventsBody>(await get(`/api/v1/events?until=${past}`)).total).toBe(0);
  });

  it('checks the bearer before the query: strangers get 401, not validation details', async () => {
    const res = await get('/api/v1/events?page=0&nope=1', {});
    expect(res.statusCode).toBe(401);
    expect((await get('/api/event?page=0', {})).statusCode).toBe(401);
  });

  it('rejects bad query parameters with 400', async () => {
    for (const query of ['page=0', 'page_size=101', 'type=NOPE', 'since=yesterday', 'page=1e400', 'foo=1']) {
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
  });
});

describe('events without HUSH_ADMIN_TOKEN', () => {
  it('are disabled with 403', async () => {
    const f = await makeHush({ HUSH_ADMIN_TOKEN: '' });
    try {
      const res = await f.hush.app.inject({ method: 'GET', url: '/api/v1/events', headers: ADMIN_AUTH });
      expect(res.statusCode).toBe(403);
      expect(json(res).error).toBe('admin_disabled');
    } finally {
      await f.close();
    }
  });
});
