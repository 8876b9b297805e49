import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

interface Created {
  secret_key: string;
  receipt_key: string;
  expires_at: string;
  max_views: number;
  passphrase_required: boolean;
  url?: string;
  receipt_url?: string;
}

describe('native share API', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush({ HUSH_PUBLIC_URL: 'https://hush.example.com', HUSH_PASSPHRASE_MAX_ATTEMPTS: '3' });
  });
  afterAll(() => f.close());

  const create = async (payload: Record<string, unknown>) => {
    const res = await f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload });
    expect(res.statusCode).toBe(201);
    return json<Created>(res);
  };
  const reveal = (key: string, payload?: Record<string, unknown>) =>
    f.hush.app.inject({ method: 'POST', url: `/api/v1/shares/${key}/reveal`, ...(payload && { payload }) });
  const peek = (key: string) => f.hush.app.inject({ method: 'GET', url: `/api/v1/shares/${key}` });
  const receipt = async (key: string) =>
    json<Record<string, unknown>>(await f.hush.app.inject({ method: 'GET', url: `/api/v1/receipts/${key}` }));

  it('creates with defaults: one view, one day, links under HUSH_PUBLIC_URL', async () => {
    const before = Date.now();
    const c = await create({ secret: 'pa55word' });
    expect(c.max_views).toBe(1);
    expect(c.passphrase_required).toBe(false);
    const ttl = Date.parse(c.expires_at) - before;
    expect(ttl).toBeGreaterThan(86_399_000);
    expect(ttl).toBeLessThan(86_401_000);
    expect(c.url).toBe(`https://hush.example.com/s/${c.secret_key}`);
    expect(c.receipt_url).toBe(`https://hush.example.com/r/${c.receipt_key}`);
    expect(c.secret_key).not.toBe(c.receipt_key);
  });

  it('peek consumes nothing; reveal claims exactly one view; then the same 404 as unknown', async () => {
    const c = await create({ secret: 'multi', max_views: 2, ttl_seconds: 600 });
    for (let i = 0; i < 3; i++) expect(json(await peek(c.secret_key))).toMatchObject({ views_left: 2 });
    expect(json(await reveal(c.secret_key))).toEqual({ secret: 'multi', views_left: 1 });
    expect(json(await peek(c.secret_key))).toMatchObject({ views_left: 1, passphrase_required: false });
    expect(json(await reveal(c.secret_key))).toEqual({ secret: 'multi', views_left: 0 });
    const gone = await reveal(c.secret_key);
    const unknown = await reveal('A'.repeat(43));
    const malformed = await reveal('nope');
    for (const res of [gone, unknown, malformed, await peek(c.secret_key)]) {
      expect(res.statusCode).toBe(404);
      expect(json(res).error).toBe('not_found');
      expect(json(res).message).toBe(json(unknown).message);
    }
    expect(await receipt(c.receipt_key)).toMatchObject({
      state: 'consumed',
      end_reason: 'viewed',
      views_used: 2,
      views_left: 0,
    });
  });

  it('keeps UTF-8 secrets byte-exact, up to the size limit', async () => {
    const secret = 'пароль 🔑 ключ\n\t"quoted"\\ 密码';
    const c = await create({ secret });
    expect(json(await reveal(c.secret_key)).secret).toBe(secret);
    const big = 'é'.repeat(32 * 1024); // 64 KiB of UTF-8 exactly
    expect(json(await reveal((await create({ secret: big })).secret_key)).secret).toBe(big);
    const tooBig = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/shares',
      payload: { secret: `${big}x` },
    });
    expect(tooBig.statusCode).toBe(413);
    expect(json(tooBig).error).toBe('secret_too_large');
  });

  it('validates TTL and max_views bounds with clear 4xx errors', async () => {
    const post = (payload: unknown) =>
      f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload: payload as object });
    expect(json(await post({ secret: 'x', ttl_seconds: 59 }))).toMatchObject({
      error: 'ttl_out_of_range',
      message: 'ttl_seconds must be between 60 (1 minute) and 2592000 (30 days).',
    });
    expect(json(await post({ secret: 'x', ttl_seconds: 2_592_001 })).error).toBe('ttl_out_of_range');
    expect((await post({ secret: 'x', ttl_seconds: 2_592_000 })).statusCode).toBe(201);
    expect((await post({ secret: 'x', ttl_seconds: 60 })).statusCode).toBe(201);
    expect((await post({ secret: 'x', max_views: 100 })).statusCode).toBe(201);
    for (const bad of [
      { secret: 'x', max_views: 0 },
      { secret: 'x', max_views: 101 },
      { secret: 'x', max_views: 1.5 },
      { secret: 'x', ttl_seconds: 1e308 },
      { secret: 'x', ttl_seconds: '3600' },
      { secret: '' },
      { secret: 42 },
      {},
      { secret: 'x', extra: true },
      { secret: 'x', passphrase: '' },
      { secret: 'x', passphrase: 'p'.repeat(1025) },
    ]) {
      const res = await post(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(json(res).error).toBe('bad_request');
    }
    const nulls = await post({ secret: 'x', passphrase: null, ttl_seconds: null, max_views: null });
    expect(nulls.statusCode).toBe(201);
  });

  it('refuses lone surrogates (text that is not valid Unicode)', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/shares',
      headers: { 'content-type': 'application/json' },
      payload: '{"secret":"a\\ud800b"}',
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).error).toBe('invalid_utf8');
  });

  it('passphrase: missing or wrong consumes nothing; the right one reveals', async () => {
    const c = await create({ secret: 'guarded', passphrase: 'open sesame', max_views: 1 });
    expect(c.passphrase_required).toBe(true);
    expect(json(await peek(c.secret_key)).passphrase_required).toBe(true);
    const missing = await reveal(c.secret_key);
    expect(missing.statusCode).toBe(401);
    expect(json(missing).error).toBe('passphrase_required');
    const wrong = await reveal(c.secret_key, { passphrase: 'nope' });
    expect(wrong.statusCode).toBe(403);
    expect(json(wrong).error).toBe('passphrase_invalid');
    expect(json(await peek(c.secret_key)).views_left).toBe(1);
    expect(json(await reveal(c.secret_key, { passphrase: 'open sesame' }))).toEqual({
      secret: 'guarded',
      views_left: 0,
    });
    expect(await receipt(c.receipt_key)).toMatchObject({ failed_passphrase_attempts: 1, state: 'consumed' });
  });

  it('burns the share at the passphrase attempt limit, saying so, and the receipt says why', async () => {
    const c = await create({ secret: 'brute', passphrase: 'right' });
    // Every wrong answer tells the attempts left; the one that reaches the limit has its own code.
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const res = await reveal(c.secret_key, { passphrase: `wrong-${i}` });
      answers.push({ status: res.statusCode, ...json<Record<string, unknown>>(res) });
    }
    expect(answers).toMatchObject([
      {
        status: 403,
        error: 'passphrase_invalid',
        attempts_left: 2,
        message: /nothing was used up\. 2 attempts left/,
      },
      { status: 403, error: 'passphrase_invalid', attempts_left: 1, message: /1 attempt left/ },
      { status: 410, error: 'passphrase_attempts_exhausted', message: /burned/ },
    ]);
    expect(answers[2]).not.toHaveProperty('attempts_left');
    expect((await reveal(c.secret_key, { passphrase: 'right' })).statusCode).toBe(404);
    const r = await receipt(c.receipt_key);
    expect(r).toMatchObject({
      state: 'burned',
      end_reason: 'passphrase_attempts',
      failed_passphrase_attempts: 3,
    });
    expect(r.timeline).toMatchObject([
      { type: 'CREATE' },
      { type: 'PASSPHRASE_FAILED' },
      { type: 'PASSPHRASE_FAILED' },
      { type: 'PASSPHRASE_FAILED' },
      { type: 'DELETE', detail: 'passphrase_attempts' },
    ]);
    expect(r.timeline as object[]).toHaveLength(5);
  });

  it('burn by key needs the passphrase when set; then everything is 404', async () => {
    const plain = await create({ secret: 'b1' });
    const burn = (key: string, payload?: object) =>
      f.hush.app.inject({ method: 'DELETE', url: `/api/v1/shares/${key}`, ...(payload && { payload }) });
    expect((await burn(plain.secret_key)).statusCode).toBe(204);
    expect((await burn(plain.secret_key)).statusCode).toBe(404);
    expect((await reveal(plain.secret_key)).statusCode).toBe(404);
    expect(await receipt(plain.receipt_key)).toMatchObject({ state: 'burned', end_reason: 'burned' });

    const guarded = await create({ secret: 'b2', passphrase: 'pp' });
    expect((await burn(guarded.secret_key)).statusCode).toBe(401);
    const wrong = await burn(guarded.secret_key, { passphrase: 'bad' });
    expect(wrong.statusCode).toBe(403);
    expect(json(wrong)).toMatchObject({ error: 'passphrase_invalid', attempts_left: 2 });
    expect((await burn(guarded.secret_key, { passphrase: 'pp' })).statusCode).toBe(204);
  });

  it('receipt: state, counts and timeline, never content; burn by receipt', async () => {
    const c = await create({ secret: 'receipt-content', max_views: 3 });
    await reveal(c.secret_key);
    const r = await receipt(c.receipt_key);
    expect(r).toMatchObject({ state: 'pending', views_used: 1, views_left: 2, max_views: 3, ended_at: null });
    expect(JSON.stringify(r)).not.toContain('receipt-content');
    expect(JSON.stringify(r)).not.toContain(c.secret_key);
    expect(Object.keys(r).sort()).toEqual(
      [
        'share_id',
        'state',
        'created_at',
        'expires_at',
        'ended_at',
        'end_reason',
        'max_views',
        'views_used',
        'views_left',
        'passphrase_required',
        'failed_passphrase_attempts',
        'timeline',
      ].sort(),
    );
    const burn = () => f.hush.app.inject({ method: 'POST', url: `/api/v1/receipts/${c.receipt_key}/burn` });
    expect((await burn()).statusCode).toBe(204);
    expect((await burn()).statusCode).toBe(404);
    expect((await reveal(c.secret_key)).statusCode).toBe(404);
    expect(await receipt(c.receipt_key)).toMatchObject({
      state: 'burned',
      end_reason: 'burned_by_sender',
      views_left: 0,
    });
    // The secret key is not a receipt key and vice versa.
    expect(
      (await f.hush.app.inject({ method: 'GET', url: `/api/v1/receipts/${c.secret_key}` })).statusCode,
    ).toBe(404);
    expect((await reveal(c.receipt_key)).statusCode).toBe(404);
  });

  it('a damaged record fails to reveal with a 500 and keeps its view', async () => {
    const c = await create({ secret: 'fragile', max_views: 1 });
    const db = new Database(f.config.sqlitePath);
    // Flip one byte of the stored ciphertext behind the service's back.
    db.prepare("update shares set ciphertext = ciphertext || x'00' where state = 'pending'").run();
    db.close();
    const res = await reveal(c.secret_key);
    expect(res.statusCode).toBe(500);
    expect(json(res)).toMatchObject({ error: 'internal', message: 'Something went wrong on our side.' });
    expect(res.body).not.toContain('fragile');
    expect(json(await peek(c.secret_key)).views_left).toBe(1);
    // The failure is logged by type and stack frames, without the error's message line.
    const failure = f.logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request failed');
    expect(failure).toMatchObject({ errName: 'DecryptionError' });
    expect(JSON.stringify(failure)).not.toContain('decryption failed');
  });

  it('treats an empty JSON body as no body (clients that always send the header)', async () => {
    const c = await create({ secret: 'empty body' });
    const res = await f.hush.app.inject({
      method: 'POST',
      url: `/api/v1/shares/${c.secret_key}/reveal`,
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).secret).toBe('empty body');
  });

  it('records IP and user agent (which may be absent) on events', async () => {
    const res = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/shares',
      payload: { secret: 'ua' },
      headers: { 'user-agent': '' },
    });
    expect(res.statusCode).toBe(201);
    const c = json<Created>(res);
    const again = await f.hush.app.inject({
      method: 'POST',
      url: `/api/v1/shares/${c.secret_key}/reveal`,
      headers: { 'user-agent': 'agent/1.0' },
    });
    expect(again.statusCode).toBe(200);
    const events = await f.hush.audit.list({}, 1, 2);
    expect(events.events[0]).toMatchObject({
      type: 'share.viewed',
      userAgent: 'agent/1.0',
      clientIp: '127.0.0.1',
    });
    expect(events.events[1]).toMatchObject({ type: 'share.created', userAgent: undefined });
  });
});
