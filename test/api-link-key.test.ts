import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newContentKey } from '../src/client/client-crypto.js';
import { deriveKeyCheck } from '../src/client/link-key-check.js';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';
import { nodeStorageEnv } from './helpers/node-storage.js';

type Body = Record<string, unknown>;

/**
 * Issue 12 points 6 and 7 through the native API, on every share backend: a wrong link proof
 * consumes nothing and is counted like a wrong passphrase (same counter, same limit), every wrong
 * answer says how many attempts are left, the one that burns says so, and shares made without a
 * verifier (older links, API shares sent in the clear) reveal exactly as before.
 */
describe.each(['sqlite', 'postgres', 'redis'] as const)('%s: link key check and attempts left', (backend) => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush({ ...(await nodeStorageEnv(backend)), HUSH_PASSPHRASE_MAX_ATTEMPTS: '3' });
  });
  afterAll(() => f?.close());

  const call = async (method: 'POST' | 'GET' | 'DELETE', url: string, payload?: Body) => {
    const res = await f.hush.app.inject({ method, url, ...(payload && { payload }) });
    return { status: res.statusCode, body: res.body === '' ? {} : json<Body>(res) };
  };
  const create = async (payload: Body) => {
    const res = await call('POST', '/api/v1/shares', payload);
    expect(res.status).toBe(201);
    return res.body as { secret_key: string; receipt_key: string };
  };
  const reveal = (key: string, payload: Body = {}) => call('POST', `/api/v1/shares/${key}/reveal`, payload);
  const receipt = async (key: string) => (await call('GET', `/api/v1/receipts/${key}`)).body;
  /** A share as the page and the CLI make it: opaque text, and the verifier of its link key. */
  const checkedShare = async (extra: Body = {}) => {
    const proof = await deriveKeyCheck(newContentKey());
    const created = await create({ secret: 'h1.opaque', key_check: proof, ...extra });
    return { ...created, proof };
  };
  const otherProof = () => randomBytes(32).toString('base64url');

  it('a wrong proof consumes no view, is counted with attempts left, and the right link still opens', async () => {
    const share = await checkedShare({ max_views: 1 });
    const wrong = await reveal(share.secret_key, { key_proof: otherProof() });
    expect(wrong).toMatchObject({
      status: 403,
      body: { error: 'link_key_invalid', attempts_left: 2, message: /nothing was used up/ },
    });
    expect((await call('GET', `/api/v1/shares/${share.secret_key}`)).body).toMatchObject({ views_left: 1 });
    expect(await receipt(share.receipt_key)).toMatchObject({
      state: 'pending',
      views_used: 0,
      failed_passphrase_attempts: 1,
      timeline: [{ type: 'CREATE' }, { type: 'LINK_KEY_FAILED' }],
    });
    expect(await reveal(share.secret_key, { key_proof: share.proof })).toMatchObject({
      status: 200,
      body: { secret: 'h1.opaque', views_left: 0 },
    });
  });

  it('a reveal without a proof (an old client, a link cut at #) is refused, spends and counts nothing', async () => {
    const share = await checkedShare();
    expect(await reveal(share.secret_key)).toMatchObject({
      status: 400,
      body: { error: 'link_key_required' },
    });
    // The seed-000 GET, which consumes, refuses it the same way.
    expect((await call('GET', `/api/secret/${share.secret_key}`)).body).toMatchObject({
      error: 'link_key_required',
    });
    expect(await receipt(share.receipt_key)).toMatchObject({
      state: 'pending',
      failed_passphrase_attempts: 0,
    });
    expect((await reveal(share.secret_key, { key_proof: share.proof })).status).toBe(200);
  });

  it('wrong proofs reach the limit and burn, with a code of their own, and the receipt says why', async () => {
    const share = await checkedShare({ max_views: 5 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await reveal(share.secret_key, { key_proof: otherProof() }));
    expect(answers).toMatchObject([
      { status: 403, body: { error: 'link_key_invalid', attempts_left: 2 } },
      { status: 403, body: { error: 'link_key_invalid', attempts_left: 1 } },
      { status: 410, body: { error: 'passphrase_attempts_exhausted' } },
    ]);
    expect((await reveal(share.secret_key, { key_proof: share.proof })).status).toBe(404);
    expect(await receipt(share.receipt_key)).toMatchObject({
      state: 'burned',
      end_reason: 'passphrase_attempts',
      views_used: 0,
      failed_passphrase_attempts: 3,
    });
    const timeline = (await receipt(share.receipt_key)).timeline as { type: string; detail?: string }[];
    expect(timeline.at(-1)).toMatchObject({ type: 'DELETE', detail: 'passphrase_attempts' });
  });

  it('checks the link before the passphrase; both count against one limit', async () => {
    const share = await checkedShare({ passphrase: 'right one' });
    // A wrong link with the right passphrase: refused as a damaged link, the passphrase never tried.
    expect(
      await reveal(share.secret_key, { key_proof: otherProof(), passphrase: 'right one' }),
    ).toMatchObject({
      status: 403,
      body: { error: 'link_key_invalid', attempts_left: 2 },
    });
    expect(await reveal(share.secret_key, { key_proof: share.proof, passphrase: 'wrong' })).toMatchObject({
      status: 403,
      body: { error: 'passphrase_invalid', attempts_left: 1 },
    });
    expect(await reveal(share.secret_key, { key_proof: share.proof, passphrase: 'right one' })).toMatchObject(
      {
        status: 200,
        body: { secret: 'h1.opaque' },
      },
    );
  });

  it('burn by secret key checks the proof too; a wrong one burns nothing', async () => {
    const share = await checkedShare();
    const burn = (payload: Body) => call('DELETE', `/api/v1/shares/${share.secret_key}`, payload);
    expect(await burn({ key_proof: otherProof() })).toMatchObject({
      status: 403,
      body: { error: 'link_key_invalid', attempts_left: 2 },
    });
    expect(await burn({})).toMatchObject({ status: 400, body: { error: 'link_key_required' } });
    expect(await receipt(share.receipt_key)).toMatchObject({ state: 'pending' });
    expect((await burn({ key_proof: share.proof })).status).toBe(204);
    expect(await receipt(share.receipt_key)).toMatchObject({ state: 'burned', end_reason: 'burned' });
  });

  it('a share made without a verifier (older links, API shares) reveals as before, proof or not', async () => {
    const old = await create({ secret: 'h1.made before the check', max_views: 2 });
    expect(await reveal(old.secret_key)).toMatchObject({ status: 200, body: { views_left: 1 } });
    // The new page and CLI send a proof for every link with a key; an old share ignores it.
    expect(await reveal(old.secret_key, { key_proof: otherProof() })).toMatchObject({
      status: 200,
      body: { secret: 'h1.made before the check', views_left: 0 },
    });
  });

  it('refuses a malformed key_check or key_proof with a 400, spending nothing', async () => {
    expect((await call('POST', '/api/v1/shares', { secret: 's', key_check: 'short' })).body).toMatchObject({
      error: 'bad_request',
    });
    const share = await checkedShare();
    expect(await reveal(share.secret_key, { key_proof: `${share.proof}!` })).toMatchObject({
      status: 400,
      body: { error: 'bad_request' },
    });
    expect(await receipt(share.receipt_key)).toMatchObject({
      state: 'pending',
      failed_passphrase_attempts: 0,
    });
  });

  it('counts 12 concurrent wrong proofs once each: distinct attempts left, one burn, no view spent', async () => {
    const share = await checkedShare({ max_views: 3 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => reveal(share.secret_key, { key_proof: otherProof() })),
    );
    const left = answers.filter((a) => a.body.error === 'link_key_invalid').map((a) => a.body.attempts_left);
    expect(left.sort()).toEqual([1, 2]);
    expect(answers.filter((a) => a.status === 410)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 404)).toHaveLength(9);
    expect(await receipt(share.receipt_key)).toMatchObject({
      state: 'burned',
      end_reason: 'passphrase_attempts',
      views_used: 0,
      failed_passphrase_attempts: 3,
    });
  });
});
