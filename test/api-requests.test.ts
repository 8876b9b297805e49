import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptAnswer, encryptAnswer, newRequestKeyPair } from '../src/client/request-crypto.js';
import { type HushFixture, json, makeHush, userSession } from './helpers/hush-fixture.js';

interface Created {
  request_id: string;
  request_key: string;
  respond_key: string;
  expires_at: string;
}

describe('native secret request API', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush({ HUSH_SHARE_MAX_BYTES: '1000' });
  });
  afterAll(() => f.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers = {}) =>
    f.hush.app.inject({
      method,
      url: `/api/v1${url}`,
      headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const create = async (payload: Record<string, unknown> = {}, headers = {}) => {
    const res = await call('POST', '/requests', payload, headers);
    expect(res.statusCode, res.body).toBe(201);
    return json<Created>(res);
  };
  const events = async (id: string) =>
    (await f.hush.audit.list({ subjectKind: 'request', subject: id }, 0, 100)).events
      .map((e) => e.type)
      .sort();

  it('request → prompt → answer → status → reveal once, end to end encrypted', async () => {
    const pair = await newRequestKeyPair();
    const before = Date.now();
    const c = await create({ note: 'the staging DB password, please', ttl_seconds: 600 });
    expect(Object.keys(c).sort()).toEqual(['expires_at', 'request_id', 'request_key', 'respond_key']);
    expect(c.request_key).not.toBe(c.respond_key);
    expect(Date.parse(c.expires_at) - before).toBeGreaterThan(599_000);

    const prompt = await call('GET', `/requests/respond/${c.respond_key}`);
    expect(json(prompt)).toEqual({ note: 'the staging DB password, please', expires_at: c.expires_at });
    expect(json(await call('GET', `/requests/${c.request_key}`))).toMatchObject({
      request_id: c.request_id,
      state: 'open',
      note: 'the staging DB password, please',
      answered_at: null,
    });
    expect((await call('POST', `/requests/${c.request_key}/reveal`)).statusCode).toBe(409);

    const answer = await encryptAnswer(pair.publicKey, 'hunter2');
    expect((await call('POST', `/requests/respond/${c.respond_key}`, { answer })).statusCode).toBe(204);
    // Exactly once: a second answer, and the prompt, are gone.
    const again = await call('POST', `/requests/respond/${c.respond_key}`, { answer });
    expect(again.statusCode).toBe(404);
    expect(json(again).error).toBe('request_not_found');
    expect((await call('GET', `/requests/respond/${c.respond_key}`)).statusCode).toBe(404);

    const status = json<{ state: string; answered_at: string }>(
      await call('GET', `/requests/${c.request_key}`),
    );
    expect(status.state).toBe('answered');
    expect(Date.parse(status.answered_at)).toBeGreaterThanOrEqual(before);
    const revealed = await call('POST', `/requests/${c.request_key}/reveal`);
    expect(revealed.statusCode).toBe(200);
    expect(Object.keys(json(revealed))).toEqual(['answer']);
    expect(await decryptAnswer(pair.privateKey, json<{ answer: string }>(revealed).answer)).toBe('hunter2');
    expect((await call('POST', `/requests/${c.request_key}/reveal`)).statusCode).toBe(404);
    expect(json(await call('GET', `/requests/${c.request_key}`))).toMatchObject({ state: 'revealed' });
    expect((await call('DELETE', `/requests/${c.request_key}`)).statusCode).toBe(404);
    expect(await events(c.request_id)).toEqual(['request.answered', 'request.created', 'request.revealed']);
  });

  it('404s look alike: unknown, malformed, answered, burned, and one key used as the other', async () => {
    const burned = await create();
    expect((await call('DELETE', `/requests/${burned.request_key}`)).statusCode).toBe(204);
    expect(json(await call('GET', `/requests/${burned.request_key}`))).toMatchObject({ state: 'burned' });
    expect(await events(burned.request_id)).toEqual(['request.burned', 'request.created']);
    const other = await create();
    const answer = await encryptAnswer((await newRequestKeyPair()).publicKey, 'x');
    const unknown = 'A'.repeat(43);
    const responses = [
      await call('GET', `/requests/respond/${unknown}`),
      await call('GET', '/requests/respond/nope'),
      await call('GET', `/requests/respond/${burned.respond_key}`),
      await call('POST', `/requests/respond/${burned.respond_key}`, { answer }),
      await call('GET', `/requests/respond/${other.request_key}`),
      await call('GET', `/requests/${other.respond_key}`),
      await call('GET', `/requests/${unknown}`),
      await call('POST', `/requests/${unknown}/reveal`),
      await call('POST', `/requests/${burned.request_key}/reveal`),
      await call('DELETE', `/requests/${unknown}`),
      await call('DELETE', `/requests/${burned.request_key}`),
    ];
    for (const res of responses) {
      expect(res.statusCode).toBe(404);
      expect(json(res).error).toBe('request_not_found');
      expect(json(res).message).toBe(json(responses[0] as { body: string }).message);
    }
  });

  it('burns an answered request and erases its answer', async () => {
    const pair = await newRequestKeyPair();
    const c = await create();
    await call('POST', `/requests/respond/${c.respond_key}`, {
      answer: await encryptAnswer(pair.publicKey, 's'),
    });
    expect((await call('DELETE', `/requests/${c.request_key}`)).statusCode).toBe(204);
    expect((await call('POST', `/requests/${c.request_key}/reveal`)).statusCode).toBe(404);
  });

  it('refuses bad input with a 4xx: note, TTL, fields, answer shape and size', async () => {
    const bad = async (url: string, payload: unknown, status: number, error: string) => {
      const res = await call('POST', url, payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(json(res).error).toBe(error);
    };
    await bad('/requests', { note: 'x'.repeat(1001) }, 400, 'bad_request');
    // 1000 characters, not UTF-16 units: a thousand emoji is a note of 1000.
    expect((await call('POST', '/requests', { note: '🔑'.repeat(1000) })).statusCode).toBe(201);
    await bad('/requests', { ttl_seconds: 10 }, 400, 'ttl_out_of_range');
    await bad('/requests', { ttl_seconds: 100 * 86_400 }, 400, 'ttl_out_of_range');
    await bad('/requests', { ttl_seconds: 'soon' }, 400, 'bad_request');
    await bad('/requests', { secret: 'x' }, 400, 'bad_request');
    const c = await create();
    const url = `/requests/respond/${c.respond_key}`;
    await bad(url, {}, 400, 'bad_request');
    await bad(url, { answer: 'plain text the server could read' }, 400, 'answer_invalid');
    await bad(url, { answer: 'hr1.short' }, 400, 'answer_invalid');
    await bad(url, { answer: `hr1.${'A'.repeat(200)}!` }, 400, 'answer_invalid');
    const big = await encryptAnswer((await newRequestKeyPair()).publicKey, 'x'.repeat(1001));
    await bad(url, { answer: big }, 413, 'secret_too_large');
    // None of those answered it.
    expect(json(await call('GET', url))).toMatchObject({ note: '' });
  });

  it('records the owner of a request made with a bearer token; an invalid token is 401, not anonymous', async () => {
    const tess = await userSession(f, 'tess');
    const owned = await create({ note: 'mine' }, { authorization: `Bearer ${tess.access_token}` });
    const anonymous = await create();
    const owners = await f.hush.storage.requests.ownersOf([owned.request_id, anonymous.request_id]);
    const user = await f.hush.users.get('tess');
    expect([...owners]).toEqual([[owned.request_id, { kind: 'user', id: user.id }]]);
    const created = (await f.hush.audit.list({ type: 'request.created', subject: owned.request_id }, 0, 10))
      .events[0];
    expect(created?.actor).toMatchObject({ kind: 'user', name: 'tess' });
    const refused = await call('POST', '/requests', {}, { authorization: 'Bearer not-a-token' });
    expect(refused.statusCode).toBe(401);
    expect(json(refused).error).toBe('invalid_token');
  });
});
