import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '../../src/storage/user-store.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const githubUser = (login: string, githubId: string, role = 'user'): UserRecord => ({
  id: randomUUID(),
  username: `gh.${login}`,
  email: undefined,
  role,
  passwordHash: '',
  createdAt: Date.now(),
  githubId,
});

describe.each(BACKEND_NAMES)('%s user store: GitHub link (two nodes)', (name) => {
  let two: TwoNodes;
  const users = (i: 0 | 1) => two.nodes[i].storage.users;

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('finds accounts by GitHub id, keeps local accounts unlinked and changes roles', async () => {
    const octo = githubUser('octocat', '583231');
    expect(await users(0).create(octo)).toBe(true);
    expect(await users(1).findByGithubId('583231')).toEqual(octo);
    expect(await users(1).findByUsername('gh.octocat')).toEqual(octo);
    expect(await users(0).findByGithubId('1')).toBeUndefined();

    const local = {
      ...githubUser('x', '0'),
      username: 'local',
      githubId: undefined,
      passwordHash: '$argon2id$x',
    };
    expect(await users(0).create(local)).toBe(true);
    expect((await users(1).findByUsername('local'))?.githubId).toBeUndefined();

    expect(await users(1).setRoleUnlessLastAdmin(octo.id, 'admin', [])).toBe('done');
    expect((await users(0).findByGithubId('583231'))?.role).toBe('admin');
    expect(await users(0).setRoleUnlessLastAdmin(randomUUID(), 'admin', [])).toBe('not_found');
  });

  it('refuses a second account with a taken GitHub id, under another username too', async () => {
    expect(await users(0).create(githubUser('first', '42'))).toBe(true);
    expect(await users(1).create(githubUser('renamed', '42'))).toBe(false);
    expect(await users(1).findByUsername('gh.renamed')).toBeUndefined();
  });

  it('lets exactly one of 20 concurrent first sign-ins of one GitHub id through, across both nodes', async () => {
    const attempts = Array.from({ length: 20 }, (_, i) => githubUser(`login${i}`, '777'));
    const results = await Promise.all(attempts.map((u, i) => users((i % 2) as 0 | 1).create(u)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await users(0).findByGithubId('777')).toEqual(attempts[results.indexOf(true)]);
  });
});
