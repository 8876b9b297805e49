import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../../src/storage/user-store.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const account = (username: string, githubId?: string): UserRecord => ({
  id: randomUUID(),
  username,
  email: undefined,
  role: 'user',
  passwordHash: githubId ? '' : `$argon2id$fake$${username}`,
  createdAt: Date.now(),
  githubId,
});

describe.each(BACKEND_NAMES)('%s user store: confusable usernames (two nodes)', (name) => {
  let two: TwoNodes;
  const users = (i: number) => two.nodes[(i % 2) as 0 | 1].storage.users;

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('refuses a local name that looks like an existing one (UTS #39 skeleton), on either node', async () => {
    expect(await users(0).create(account('alice'))).toBe(true);
    expect(await users(1).create(account('\u0430lice'))).toBe(false); // Cyrillic а
    expect(await users(0).create(account('bi11'))).toBe(true);
    expect(await users(1).create(account('bill'))).toBe(false);
    expect(await users(1).findByUsername('\u0430lice')).toBeUndefined();
    expect(await users(0).create(account('alicia'))).toBe(true);
    // Once the first is deleted, its look-alike may be created.
    expect(await users(1).deleteUnlessLastAdmin('alice', [])).toBe('done');
    expect(await users(0).create(account('\u0430lice'))).toBe(true);
  });

  it('lets exactly one of 20 concurrent creates of look-alike names through, across both nodes', async () => {
    const variants = ['paypal', 'p\u0430ypal', 'payp\u0430l', 'p\u0430yp\u0430l', 'pаураl'];
    const attempts = Array.from({ length: 20 }, (_, i) => account(variants[i % variants.length] ?? 'paypal'));
    const results = await Promise.all(attempts.map((u, i) => users(i).create(u)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = attempts[results.indexOf(true)];
    expect(await users(1).findByUsername(winner?.username ?? '')).toEqual(winner);
  });

  it('leaves GitHub accounts out: GitHub keeps their names unique', async () => {
    expect(await users(0).create(account('gh.bill', '9001'))).toBe(true);
    expect(await users(1).create(account('gh.bi11', '9002'))).toBe(true);
  });
});
