import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

/**
 * Races through the whole HTTP stack of one process: the service looks a share up, checks the
 * passphrase, then claims, so any read-then-write gap between those steps would show here.
 * Without a passphrase the steps rarely interleave on one event loop; Argon2 runs on the thread
 * pool, so passphrase checks hold every request between lookup and claim and force the overlap.
 */

const MAX_ATTEMPTS = 5;
const PASSPHRASE = 'correct horse battery staple';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

describe('concurrent reveals through HTTP in one process', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush({ HUSH_PASSPHRASE_MAX_ATTEMPTS: String(MAX_ATTEMPTS) });
  });
  afterAll(() => f?.close());

  const create = async (payload: Record<string, unknown>) => {
    const response = await f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload });
    expect(response.statusCode).toBe(201);
    return json<{ secret_key: string; receipt_key: string }>(response);
  };

  const reveal = async (secretKey: string, payload: Record<string, unknown> = {}): Promise<Reply> => {
    const response = await f.hush.app.inject({
      method: 'POST',
      url: `/api/v1/shares/${secretKey}/reveal`,
      payload,
    });
    return { status: response.statusCode, body: json(response) };
  };

  const receipt = async (receiptKey: string) =>
    json<{
      state: string;
      end_reason: string | null;
      views_used: number;
      failed_passphrase_attempts: number;
      timeline: { type: string }[];
    }>(await f.hush.app.inject({ method: 'GET', url: `/api/v1/receipts/${receiptKey}` }));

  const statuses = (replies: readonly Reply[]) => replies.map((reply) => reply.status).sort((a, b) => a - b);
  const countOf = (items: readonly { type: string }[], type: string) =>
    items.filter((item) => item.type === type).length;

  it('reveals a max_views = 2 share exactly twice among 50 concurrent reveals', async () => {
    const share = await create({ secret: 'two views only', max_views: 2 });

    const replies = await Promise.all(Array.from({ length: 50 }, () => reveal(share.secret_key)));

    const revealed = replies.filter((reply) => reply.status === 200);
    expect(revealed.map((reply) => reply.body)).toEqual(
      expect.arrayContaining([
        { secret: 'two views only', views_left: 1 },
        { secret: 'two views only', views_left: 0 },
      ]),
    );
    expect(revealed).toHaveLength(2);
    expect(statuses(replies)).toEqual([200, 200, ...Array.from({ length: 48 }, () => 404)]);
    for (const reply of replies.filter((r) => r.status !== 200)) expect(reply.body.error).toBe('not_found');

    const after = await receipt(share.receipt_key);
    expect(after).toMatchObject({ state: 'consumed', end_reason: 'viewed', views_used: 2 });
    expect(countOf(after.timeline, 'READ')).toBe(2);
  });

  it('reveals a passphrase share with max_views = 2 exactly twice among 30 concurrent right answers', async () => {
    const share = await create({ secret: 'guarded twice', passphrase: PASSPHRASE, max_views: 2 });

    const replies = await Promise.all(
      Array.from({ length: 30 }, () => reveal(share.secret_key, { passphrase: PASSPHRASE })),
    );

    expect(statuses(replies)).toEqual([200, 200, ...Array.from({ length: 28 }, () => 404)]);
    expect(replies.filter((reply) => reply.status === 200).map((reply) => reply.body.views_left)).toEqual(
      expect.arrayContaining([0, 1]),
    );
    expect(await receipt(share.receipt_key)).toMatchObject({ state: 'consumed', views_used: 2 });
  });

  it('counts concurrent wrong passphrases exactly and burns at the limit', async () => {
    const share = await create({ secret: 'guarded', passphrase: PASSPHRASE, max_views: 3 });

    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => reveal(share.secret_key, { passphrase: `wrong ${i}` })),
    );

    // The first MAX_ATTEMPTS - 1 are told the passphrase is wrong, each with a different count of
    // attempts left; the one that burns the share says so (410); everyone after finds nothing.
    // A wrong passphrase never reveals anything.
    expect(statuses(replies)).toEqual(
      [
        ...Array.from({ length: MAX_ATTEMPTS - 1 }, () => 403),
        410,
        ...Array.from({ length: 20 - MAX_ATTEMPTS }, () => 404),
      ].sort((a, b) => a - b),
    );
    const left = replies.map((reply) => reply.body.attempts_left).filter((n) => n !== undefined);
    expect(left.sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => i + 1),
    );
    expect(replies.some((reply) => 'secret' in reply.body)).toBe(false);

    const after = await receipt(share.receipt_key);
    expect(after).toMatchObject({
      state: 'burned',
      end_reason: 'passphrase_attempts',
      failed_passphrase_attempts: MAX_ATTEMPTS,
      views_used: 0,
    });
    expect(countOf(after.timeline, 'PASSPHRASE_FAILED')).toBe(MAX_ATTEMPTS);
    expect(countOf(after.timeline, 'DELETE')).toBe(1);

    // Burned means burned: the right passphrase comes too late.
    expect(await reveal(share.secret_key, { passphrase: PASSPHRASE })).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
  });

  it('consumes no view for concurrent wrong passphrases below the limit', async () => {
    const share = await create({ secret: 'still here', passphrase: PASSPHRASE, max_views: 1 });

    const wrong = await Promise.all(
      Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) =>
        reveal(share.secret_key, { passphrase: `nope ${i}` }),
      ),
    );
    expect(statuses(wrong)).toEqual(Array.from({ length: MAX_ATTEMPTS - 1 }, () => 403));
    expect(await receipt(share.receipt_key)).toMatchObject({
      state: 'pending',
      views_used: 0,
      failed_passphrase_attempts: MAX_ATTEMPTS - 1,
    });

    expect(await reveal(share.secret_key, { passphrase: PASSPHRASE })).toEqual({
      status: 200,
      body: { secret: 'still here', views_left: 0 },
    });
  });

  it('gives the single view to the right passphrase while wrong ones race it', async () => {
    const share = await create({ secret: 'mine', passphrase: PASSPHRASE, max_views: 1 });

    // Fewer wrong guesses than the limit, so nothing can burn the share before the right one claims.
    const replies = await Promise.all(
      Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) =>
        reveal(share.secret_key, { passphrase: i === 1 ? PASSPHRASE : `nope ${i}` }),
      ),
    );
    expect(replies[1]).toEqual({ status: 200, body: { secret: 'mine', views_left: 0 } });
    const wrong = replies.filter((_, i) => i !== 1);
    // A wrong guess is counted (403) unless the view was already taken (404), never both.
    for (const reply of wrong) expect([403, 404]).toContain(reply.status);
    const after = await receipt(share.receipt_key);
    expect(after).toMatchObject({ state: 'consumed', views_used: 1 });
    expect(after.failed_passphrase_attempts).toBe(wrong.filter((reply) => reply.status === 403).length);
  });
});
