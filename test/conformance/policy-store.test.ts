import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicyChecker } from '../../src/secrets/policy-checker.js';
import type { PolicyRecord } from '../../src/storage/policy-store.js';
import type { UserRecord } from '../../src/storage/user-store.js';
import { asStored, detailOf, testEvent } from '../helpers/audit-events.js';
import { machineRecord } from '../helpers/machine-records.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const account = (username: string): UserRecord => ({
  id: randomUUID(),
  username,
  email: undefined,
  role: 'user',
  passwordHash: `$argon2id$fake$${username}`,
  createdAt: Date.now(),
});

/** An account as a policy principal. */
const user = (id: string) => ({ kind: 'user', id }) as const;

let clock = 1_700_000_000_000;
const policy = (
  subjectType: string,
  subject: string,
  path: string,
  capabilities: string[],
): PolicyRecord => ({
  id: randomUUID(),
  subjectType,
  subject,
  path,
  capabilities,
  createdAt: clock++,
});

describe.each(BACKEND_NAMES)('%s policy store (two nodes)', (name) => {
  let two: TwoNodes;
  const node = (i: 0 | 1) => two.nodes[i].storage;

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it("creates, reads an actor's user and role policies, lists, filters and deletes", async () => {
    const alice = account('alice');
    const bob = account('bob');
    await node(0).users.create(alice, []);
    await node(0).users.create(bob, []);

    const forAlice = policy('user', alice.id, 'apps/alice/*', ['read', 'update']);
    const forBob = policy('user', bob.id, 'apps/bob/*', ['read']);
    const forUsers = policy('role', 'user', 'apps/**', ['list']);
    const forAdmins = policy('role', 'admin', 'hr/**', ['deny']);
    for (const [i, p] of [forAlice, forBob, forUsers, forAdmins].entries()) {
      await node((i % 2) as 0 | 1).policies.create(p, []);
    }

    const byId = (records: readonly PolicyRecord[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(await node(1).policies.forActor(user(alice.id), 'user'))).toEqual(byId([forAlice, forUsers]));
    expect(await node(0).policies.forActor(user(bob.id), 'admin')).toEqual(
      expect.arrayContaining([forBob, forAdmins]),
    );
    expect(await node(0).policies.forActor(user(randomUUID()), 'auditor')).toEqual([]);

    const listed = await node(1).policies.list({});
    expect(listed.map((p) => p.id)).toEqual([forAlice.id, forBob.id, forUsers.id, forAdmins.id]);
    expect(listed[0]).toEqual({ ...forAlice, username: 'alice' });
    expect(listed[2]).toEqual({ ...forUsers, username: undefined });
    expect((await node(0).policies.list({ subjectType: 'role' })).map((p) => p.id)).toEqual([
      forUsers.id,
      forAdmins.id,
    ]);
    expect(await node(0).policies.list({ subjectType: 'user', subject: bob.id })).toEqual([
      { ...forBob, username: 'bob' },
    ]);
    expect(await node(0).policies.list({ subjectType: 'role', subject: 'nobody' })).toEqual([]);

    // Deleting an account deletes its own policies with it, and nothing else.
    expect(await node(1).users.deleteUnlessLastAdmin('bob', [])).toBe('done');
    expect(await node(1).users.deleteUnlessLastAdmin('bob', [])).toBe('not_found');
    expect((await node(0).policies.list({ subjectType: 'user' })).map((p) => p.username)).toEqual(['alice']);
    expect(await node(0).policies.delete(forBob.id, () => [])).toBeUndefined();
    expect(await node(0).policies.forActor(user(bob.id), 'user')).toEqual([forUsers]);

    expect(await node(1).policies.delete(forAlice.id, () => [])).toEqual({ ...forAlice, username: 'alice' });
    expect(await node(0).policies.delete(forAlice.id, () => [])).toBeUndefined();
    expect((await node(0).policies.list({})).map((p) => p.id)).toEqual([forUsers.id, forAdmins.id]);
  });

  it('stores a user policy only while its account exists, also against concurrent deletes', async () => {
    expect(await node(0).policies.create(policy('user', randomUUID(), 'x/*', ['read']), [])).toBe(false);
    for (let round = 0; round < 5; round++) {
      const dora = account(`dora-${round}`);
      await node(0).users.create(dora, []);
      const attempts = Array.from({ length: 6 }, () => policy('user', dora.id, 'race/*', ['read']));
      const [, ...stored] = await Promise.all([
        node(1).users.deleteUnlessLastAdmin(dora.username, []),
        ...attempts.map((p, i) => node((i % 2) as 0 | 1).policies.create(p, [])),
      ]);
      // Whatever won each race, no policy of the deleted account is left behind.
      expect(stored.every((s) => typeof s === 'boolean')).toBe(true);
      expect(await node(0).policies.list({ subjectType: 'user', subject: dora.id })).toEqual([]);
    }
  });

  it('gives a policy back to exactly one of 20 concurrent deletes, across both nodes', async () => {
    const target = policy('role', 'user', 'race/*', ['read']);
    await node(0).policies.create(target, []);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => node((i % 2) as 0 | 1).policies.delete(target.id, () => [])),
    );
    expect(results.filter((r) => r !== undefined)).toEqual([{ ...target, username: undefined }]);
  });

  it("applies a deny created on one node to the other node's very next decision", async () => {
    const carol = account('carol');
    await node(0).users.create(carol, []);
    const checker = createPolicyChecker({ store: node(0).policies });
    const actor = { kind: 'user' as const, id: carol.id, role: 'user' as const };
    await node(0).policies.create(policy('user', carol.id, 'team/**', ['read', 'list']), []);
    expect([...(await checker.capabilities(actor, 'team/db'))].sort()).toEqual(['list', 'read']);

    const deny = policy('user', carol.id, 'team/db', ['deny']);
    await node(1).policies.create(deny, []);
    expect([...(await checker.capabilities(actor, 'team/db'))]).toEqual([]);
    expect([...(await checker.capabilities(actor, 'team/web'))].sort()).toEqual(['list', 'read']);

    await node(1).policies.delete(deny.id, () => []);
    expect([...(await checker.capabilities(actor, 'team/db'))].sort()).toEqual(['list', 'read']);
  });

  it('attaches policies to a machine identity by id, apart from an account with the same id', async () => {
    const machineId = `machine-${randomUUID()}`;
    const forMachine = policy('machine', machineId, 'ci/**', ['read', 'list']);
    // Only while the machine exists.
    expect(await node(0).policies.create(forMachine, [])).toBe(false);
    await node(1).machines.create(machineRecord({ id: machineId, name: 'ci' }), [], []);
    expect(await node(0).policies.create(forMachine, [])).toBe(true);
    const forRole = policy('role', 'auditor', 'shared/*', ['read']);
    await node(1).policies.create(forRole, []);
    const byId = (records: readonly PolicyRecord[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(await node(1).policies.forActor({ kind: 'machine', id: machineId }, 'auditor'))).toEqual(
      byId([forMachine, forRole]),
    );
    expect(await node(0).policies.forActor(user(machineId), 'nobody')).toEqual([]);
    expect(await node(0).policies.list({ subjectType: 'machine', subject: machineId })).toEqual([
      { ...forMachine, username: undefined, machineName: 'ci' },
    ]);
    const checker = createPolicyChecker({ store: node(0).policies });
    const machine = { kind: 'machine' as const, id: machineId, role: 'user' as const };
    expect([...(await checker.capabilities(machine, 'ci/deploy/key'))].sort()).toEqual(['list', 'read']);
    // The same id as an account's holds nothing of the machine's.
    expect([...(await checker.capabilities({ ...machine, kind: 'user' }, 'ci/deploy/key'))]).toEqual([]);
  });

  it('stores the events of a create and a delete with them, and none when nothing changed', async () => {
    const logged = async (detail: string) =>
      (await node(1).events.list({ type: 'policy.' }, 0, 1000)).events.filter((e) => detailOf(e) === detail);
    const made = policy('role', 'user', 'audited/*', ['read']);
    const created = testEvent('policy.created', `created ${made.id}`);
    expect(await node(0).policies.create(made, [created])).toBe(true);
    expect(await logged(`created ${made.id}`)).toEqual([asStored(created)]);

    const orphan = policy('user', randomUUID(), 'audited/*', ['read']);
    expect(await node(1).policies.create(orphan, [testEvent('policy.created', `orphan ${orphan.id}`)])).toBe(
      false,
    );
    expect(await logged(`orphan ${orphan.id}`)).toEqual([]);

    const seen: string[] = [];
    const eventsFor = (deleted: { readonly id: string; readonly path: string }) => {
      seen.push(deleted.path);
      return [testEvent('policy.deleted', `deleted ${deleted.id}`)];
    };
    expect(await node(1).policies.delete(made.id, eventsFor)).toBeDefined();
    expect(await node(0).policies.delete(made.id, eventsFor)).toBeUndefined();
    expect(seen).toEqual(['audited/*']);
    expect(await logged(`deleted ${made.id}`)).toHaveLength(1);
  });
});
