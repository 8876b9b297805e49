import { expect } from 'vitest';
import type { UserStore } from '../../src/storage/user-store.js';

/**
 * The accounts migration 0007 finds, on every backend: a look-alike pair made before the rule (the
 * older keeps the name's skeleton), another user, and a GitHub account (never given one).
 */
export const ACCOUNTS_BEFORE_0007 = [
  { id: '1', username: 'alice', role: 'admin', createdAt: 1, githubId: null },
  { id: '2', username: '\u0430lice', role: 'user', createdAt: 2, githubId: null },
  { id: '3', username: 'bob', role: 'user', createdAt: 3, githubId: null },
  { id: '4', username: 'gh.octocat', role: 'user', createdAt: 4, githubId: '583231' },
] as const;

/** What 0007 must have made of them: skeletons oldest first, the look-alike still usable, no third. */
export async function expectBackfilled(skeletons: unknown[], users: UserStore): Promise<void> {
  expect(skeletons).toEqual([
    { id: '1', skeleton: 'alice' },
    { id: '2', skeleton: null },
    { id: '3', skeleton: 'bob' },
    { id: '4', skeleton: null },
  ]);
  // The grandfathered look-alike still signs in by its own name; no third one can be made.
  expect((await users.findByUsername('\u0430lice'))?.id).toBe('2');
  const third = { email: undefined, role: 'user', passwordHash: 'x', createdAt: 5 } as const;
  expect(await users.create({ ...third, id: '5', username: 'a\u217cice' })).toBe(false);
  expect(await users.create({ ...third, id: '6', username: 'carol' })).toBe(true);
}
