import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { UserRecord } from '../../src/storage/user-store.js';
import { detailOf, testEvent } from '../helpers/audit-events.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const account = (username: string, role: string): UserRecord => ({
  id: randomUUID(),
  username,
  email: undefined,
  role,
  passwordHash: `$argon2id$fake$${username}`,
  createdAt: Date.now(),
});

const event = (type: 'user.deleted' | 'user.role_changed', detail: string): AuditEvent =>
  testEvent(type, detail);

/** Rounds of each race; enough that a read-then-write would let both through in some of them. */
const ROUNDS = 25;

describe.each(BACKEND_NAMES)('%s user store: the last admin (two nodes)', (name) => {
  let two: TwoNodes;
  const users = (i: number) => two.nodes[(i % 2) as 0 | 1].storage.users;
  const events = (i: number) => two.nodes[(i % 2) as 0 | 1].storage.events;
  const admins = async () => (await users(0).list(0, 1000)).users.filter((u) => u.role === 'admin');

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('refuses to delete or demote the last admin, and stores the event only with the change', async () => {
    const root = account('root', 'admin');
    const plain = account('plain', 'user');
    await users(0).create(root);
    await users(0).create(plain);
    expect(await users(1).deleteUnlessLastAdmin('root', [event('user.deleted', 'refused')])).toBe(
      'last_admin',
    );
    expect(
      await users(0).setRoleUnlessLastAdmin(root.id, 'user', [event('user.role_changed', 'refused')]),
    ).toBe('last_admin');
    // Promoting is always allowed, and an admin may be "changed" to admin.
    expect(await users(1).setRoleUnlessLastAdmin(root.id, 'admin', [])).toBe('done');
    expect(
      await users(1).setRoleUnlessLastAdmin(plain.id, 'admin', [event('user.role_changed', 'promoted')]),
    ).toBe('done');
    expect(await users(0).deleteUnlessLastAdmin('root', [event('user.deleted', 'deleted root')])).toBe(
      'done',
    );
    expect(await users(1).setRoleUnlessLastAdmin(plain.id, 'user', [])).toBe('last_admin');
    expect(await users(0).deleteUnlessLastAdmin('nobody', [event('user.deleted', 'nobody')])).toBe(
      'not_found',
    );
    expect((await admins()).map((u) => u.username)).toEqual(['plain']);
    const details = (await events(1).list({}, 0, 100)).events.map((e) => String(detailOf(e)));
    expect(details.sort()).toEqual(['deleted root', 'promoted']);
    await users(0).setRoleUnlessLastAdmin(plain.id, 'admin', []);
  });

  it(`keeps one admin when two admins delete each other at once, from two nodes (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const a = account(`a-${round}`, 'admin');
      const b = account(`b-${round}`, 'admin');
      await users(0).create(a);
      await users(1).create(b);
      // Only a and b are admins: each round starts from the previous round's survivor deleted.
      for (const other of await admins()) {
        if (other.id !== a.id && other.id !== b.id) {
          expect(await users(round).deleteUnlessLastAdmin(other.username, [])).toBe('done');
        }
      }
      const outcomes = await Promise.all([
        users(round).deleteUnlessLastAdmin(b.username, []),
        users(round + 1).deleteUnlessLastAdmin(a.username, []),
      ]);
      expect(outcomes.sort(), `round ${round}`).toEqual(['done', 'last_admin']);
      expect(await admins()).toHaveLength(1);
    }
  }, 60_000);

  it(`keeps one admin when a deletion and a demotion race, from two nodes (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const c = account(`c-${round}`, 'admin');
      const d = account(`d-${round}`, 'admin');
      await users(0).create(c);
      await users(1).create(d);
      for (const other of await admins()) {
        if (other.id !== c.id && other.id !== d.id) {
          expect(await users(round).deleteUnlessLastAdmin(other.username, [])).toBe('done');
        }
      }
      const outcomes = await Promise.all([
        users(round).deleteUnlessLastAdmin(c.username, []),
        users(round + 1).setRoleUnlessLastAdmin(d.id, 'user', []),
      ]);
      expect(outcomes.sort(), `round ${round}`).toEqual(['done', 'last_admin']);
      expect(await admins()).toHaveLength(1);
    }
  }, 60_000);
});
