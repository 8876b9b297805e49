import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OauthStateRecord } from '../../src/storage/oauth-state-store.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const state = (expiresAt: number, createdAt = Date.now()): OauthStateRecord => ({
  stateHash: randomBytes(32).toString('base64url'),
  codeVerifier: randomBytes(32).toString('base64url'),
  createdAt,
  expiresAt,
});

describe.each(BACKEND_NAMES)('%s OAuth state store (two nodes)', (name) => {
  let two: TwoNodes;
  const states = (i: 0 | 1) => two.nodes[i].storage.oauthStates;

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('hands a state back once, on either node, expired or not', async () => {
    const live = state(Date.now() + 600_000);
    const expired = state(Date.now() - 1000);
    await states(0).create(live);
    await states(1).create(expired);

    expect(await states(1).consume(live.stateHash)).toEqual(live);
    expect(await states(0).consume(live.stateHash)).toBeUndefined();
    expect(await states(0).consume(expired.stateHash)).toEqual(expired);
    expect(await states(1).consume('never-stored')).toBeUndefined();
  });

  it('gives a state to exactly one of 20 concurrent consumes, across both nodes', async () => {
    const record = state(Date.now() + 600_000);
    await states(0).create(record);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => states((i % 2) as 0 | 1).consume(record.stateHash)),
    );
    expect(results.filter((r) => r !== undefined)).toEqual([record]);
  });

  it('purges expired states in batches and leaves live ones', async () => {
    const now = Date.now();
    const expired = Array.from({ length: 5 }, () => state(now - 1000, now - 601_000));
    const live = state(now + 600_000);
    for (const record of [...expired, live]) await states(0).create(record);

    expect(await states(1).purgeExpired(now, 3)).toBe(3);
    expect(await states(0).purgeExpired(now, 100)).toBe(2);
    expect(await states(1).purgeExpired(now, 100)).toBe(0);
    for (const record of expired) expect(await states(0).consume(record.stateHash)).toBeUndefined();
    expect(await states(1).consume(live.stateHash)).toEqual(live);
  });
});
