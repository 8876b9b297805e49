import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../../src/storage/user-store.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const user = (username: string, role = 'user'): UserRecord => ({
  id: randomUUID(),
  username,
  email: `${username}@example.com`,
  role,
  passwordHash: `$argon2id$fake$${username}`,
  createdAt: Date.now(),
});

describe.each(BACKEND_NAMES)('%s user store (two nodes)', (name) => {
  let two: TwoNodes;
  const users = (i: 0 | 1) => two.nodes[i].storage.users;

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('stores, finds, lists in username order, counts by role and deletes accounts', async () => {
    const carol = user('carol', 'admin');
    expect(await users(0).create(carol)).toBe(true);
    expect(await users(1).create(user('alice'))).toBe(true);
    expect(await users(0).create({ ...user('bob'), email: undefined })).toBe(true);

    expect(await users(1).findByUsername('carol')).toEqual(carol);
    expect(await users(1).findByUsername('nobody')).toBeUndefined();
    const page = await users(0).list(0, 2);
    expect(page.total).toBe(3);
    expect(page.users.map((u) => u.username)).toEqual(['alice', 'bob']);
    expect(page.users[1]?.email).toBeUndefined();
    expect((await users(1).list(2, 2)).users.map((u) => u.username)).toEqual(['carol']);
    expect(await users(0).countByRole('admin')).toBe(1);

    expect(await users(1).deleteUnlessLastAdmin('bob', [])).toBe('done');
    expect(await users(0).deleteUnlessLastAdmin('bob', [])).toBe('not_found');
    expect(await users(0).findByUsername('bob')).toBeUndefined();
  });

  it('lets exactly one of 20 concurrent creates of one username through, across both nodes', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) => user('dave', i % 2 ? 'admin' : 'user'));
    const results = await Promise.all(attempts.map((u, i) => users((i % 2) as 0 | 1).create(u)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = attempts[results.indexOf(true)];
    expect(await users(0).findByUsername('dave')).toEqual(winner);
  });
});
