import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { SecretIdRecord } from '../../src/storage/machine-store.js';
import type { PolicyRecord } from '../../src/storage/policy-store.js';
import type { SessionRecord, TokenRecord } from '../../src/storage/token-store.js';
import { detailOf, testEvent } from '../helpers/audit-events.js';
import { machineRecord } from '../helpers/machine-records.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const NOW = Date.now();
const HOUR = 3_600_000;

const secretId = (machineId: string, overrides: Partial<SecretIdRecord> = {}): SecretIdRecord => ({
  accessor: randomUUID(),
  machineId,
  hash: randomUUID(),
  cidrs: undefined,
  metadata: { job: 'deploy' },
  usesLeft: undefined,
  expiresAt: undefined,
  createdAt: NOW,
  revokedAt: undefined,
  usedUpAt: undefined,
  ...overrides,
});

const policy = (machineId: string, path: string): PolicyRecord => ({
  id: randomUUID(),
  subjectType: 'machine',
  subject: machineId,
  path,
  capabilities: ['read', 'list'],
  createdAt: NOW,
});

const session = (machineId: string): SessionRecord => ({
  id: randomUUID(),
  userId: machineId,
  principalKind: 'machine',
  clientId: undefined,
  clientIp: '192.0.2.1',
  accessTtlSeconds: 3600,
  createdAt: NOW,
  expiresAt: NOW + HOUR,
  revokedAt: undefined,
});

const token = (sessionId: string): TokenRecord => ({
  id: randomUUID(),
  hash: randomUUID(),
  kind: 'access',
  sessionId,
  scope: 'secrets:read',
  boundCidrs: undefined,
  maxUses: undefined,
  uses: 0,
  createdAt: NOW,
  expiresAt: NOW + HOUR,
  revokedAt: undefined,
  rotatedAt: undefined,
});

describe.each(BACKEND_NAMES)('%s machine store (two nodes)', (name) => {
  let two: TwoNodes;
  const node = (i: number) => two.nodes[(i % 2) as 0 | 1].storage;
  const event = (type: AuditEvent['type']) => testEvent(type, `machine ${randomUUID()}`);
  const logged = async (e: AuditEvent) =>
    (await node(1).events.list({ type: e.type }, 0, 1000)).events.filter((x) => detailOf(x) === detailOf(e))
      .length;
  /** A machine stored through node 0. */
  const stored = async (overrides = {}) => {
    const machine = machineRecord(overrides);
    expect(await node(0).machines.create(machine, [], [])).toBe(true);
    return machine;
  };

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('stores a machine with its policies and events; finds it by id, name and role_id', async () => {
    const machine = machineRecord({
      role: 'admin',
      tokenTtlSeconds: 600,
      tokenNumUses: 3,
      secretIdBoundCidrs: ['10.0.0.0/8', '2001:db8::/32'],
      tokenBoundCidrs: ['192.0.2.0/24'],
    });
    const rules = [policy(machine.id, 'ci/**'), policy(machine.id, 'deploy/*')];
    const created = event('machine.created');
    expect(await node(0).machines.create(machine, rules, [created])).toBe(true);
    expect(await logged(created)).toBe(1);
    expect(await node(1).machines.findById(machine.id)).toEqual(machine);
    expect(await node(1).machines.findByName(machine.name)).toEqual(machine);
    expect(await node(1).machines.findByRoleId(machine.roleId)).toEqual(machine);
    expect(await node(1).machines.findByName('nobody')).toBeUndefined();
    expect((await node(1).machines.list()).map((m) => m.id)).toContain(machine.id);
    const attached = await node(1).policies.forActor({ kind: 'machine', id: machine.id }, 'nobody');
    expect(attached.map((p) => p.path).sort()).toEqual(['ci/**', 'deploy/*']);

    const changed = { ...machine, role: 'user', tokenBoundCidrs: undefined, updatedAt: NOW + 1 };
    const updated = event('machine.updated');
    expect(await node(1).machines.update(changed, machine.updatedAt, [updated])).toBe(true);
    expect(await node(0).machines.findById(machine.id)).toEqual(changed);
    expect(await logged(updated)).toBe(1);
    expect(await node(0).machines.update({ ...changed, id: randomUUID() }, changed.updatedAt, [])).toBe(
      false,
    );
    // A stale read lands nothing, events included.
    const stale = event('machine.updated');
    expect(await node(0).machines.update({ ...changed, role: 'admin' }, machine.updatedAt, [stale])).toBe(
      false,
    );
    expect((await node(1).machines.findById(machine.id))?.role).toBe('user');
    expect(await logged(stale)).toBe(0);
  });

  it('lands exactly one of 10 concurrent updates made from one read, on two nodes', async () => {
    const machine = await stored({});
    const attempts = Array.from({ length: 10 }, (_, i) => ({
      changed: { ...machine, tokenNumUses: i + 1, updatedAt: machine.updatedAt + 1 },
      events: [event('machine.updated')],
    }));
    const landed = await Promise.all(
      attempts.map((a, i) => node(i % 2).machines.update(a.changed, machine.updatedAt, a.events)),
    );
    expect(landed.filter(Boolean)).toHaveLength(1);
    const winner = attempts[landed.indexOf(true)];
    expect((await node(0).machines.findById(machine.id))?.tokenNumUses).toBe(winner?.changed.tokenNumUses);
    const logs = await Promise.all(attempts.flatMap((a) => a.events.map(logged)));
    expect(logs.reduce((sum, n) => sum + n, 0)).toBe(1);
  });

  it('creates one machine of 10 concurrent creates with one name, on two nodes; the others store nothing', async () => {
    const name = `racer-${randomUUID().slice(0, 8)}`;
    const attempts = Array.from({ length: 10 }, () => {
      const machine = machineRecord({ name });
      return { machine, rules: [policy(machine.id, 'race/*')], events: [event('machine.created')] };
    });
    const results = await Promise.all(
      attempts.map((a, i) => node(i).machines.create(a.machine, a.rules, a.events)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = attempts[results.indexOf(true)];
    expect((await node(0).machines.findByName(name))?.id).toBe(winner?.machine.id);
    const stored = await Promise.all(attempts.map((a) => logged(a.events[0] as AuditEvent)));
    expect(stored.reduce((a, b) => a + b, 0)).toBe(1);
    const raced = await node(1).policies.list({ subjectType: 'machine' });
    expect(raced.filter((p) => p.path === 'race/*').map((p) => p.subject)).toEqual([winner?.machine.id]);
  });

  it('spends a secret_id with N uses exactly N times under 3N concurrent spends on two nodes', async () => {
    const machine = await stored();
    const uses = 7;
    const counted = secretId(machine.id, { usesLeft: uses });
    expect(await node(1).machines.createSecretId(counted, [])).toBe(true);
    const spends = await Promise.all(
      Array.from({ length: 3 * uses }, (_, i) =>
        node(i).machines.spendSecretId(machine.id, counted.hash, NOW),
      ),
    );
    expect(spends.filter((m) => m !== undefined)).toHaveLength(uses);
    expect(spends.find((m) => m !== undefined)).toEqual(machine);
    // The spend that took the last use stamped when it ended.
    expect(await node(0).machines.findSecretId(counted.hash)).toMatchObject({ usesLeft: 0, usedUpAt: NOW });
    expect((await node(1).machines.listSecretIds(machine.id, NOW)).map((s) => s.accessor)).toEqual([]);

    const unlimited = secretId(machine.id);
    await node(0).machines.createSecretId(unlimited, []);
    const free = await Promise.all(
      Array.from({ length: 6 }, (_, i) => node(i).machines.spendSecretId(machine.id, unlimited.hash, NOW)),
    );
    expect(free.every((m) => m?.id === machine.id)).toBe(true);
    expect(await node(1).machines.findSecretId(unlimited.hash)).toEqual(unlimited);
  });

  it('refuses revoked, expired, unknown and other machines’ secret_ids', async () => {
    const machine = await stored();
    const other = await stored();
    const live = secretId(machine.id, { usesLeft: 5 });
    const expired = secretId(machine.id, { expiresAt: NOW - 1 });
    const later = secretId(machine.id, { expiresAt: NOW + HOUR, createdAt: NOW + 1 });
    for (const s of [live, expired, later]) expect(await node(0).machines.createSecretId(s, [])).toBe(true);
    expect(await node(1).machines.spendSecretId(machine.id, expired.hash, NOW)).toBeUndefined();
    expect(await node(1).machines.spendSecretId(machine.id, later.hash, NOW + HOUR)).toBeUndefined();
    expect(await node(1).machines.spendSecretId(other.id, live.hash, NOW)).toBeUndefined();
    expect(await node(1).machines.spendSecretId(machine.id, 'unknown', NOW)).toBeUndefined();
    expect((await node(0).machines.listSecretIds(machine.id, NOW)).map((s) => s.accessor)).toEqual([
      live.accessor,
      later.accessor,
    ]);

    const revoked = event('machine.secret_id_revoked');
    expect(await node(1).machines.revokeSecretId(other.id, live.accessor, NOW, [revoked])).toBe(false);
    expect(await node(1).machines.revokeSecretId(machine.id, live.accessor, NOW, [revoked])).toBe(true);
    expect(await node(0).machines.revokeSecretId(machine.id, live.accessor, NOW, [revoked])).toBe(false);
    expect(await logged(revoked)).toBe(1);
    expect(await node(0).machines.spendSecretId(machine.id, live.hash, NOW)).toBeUndefined();
    expect((await node(0).machines.findSecretId(live.hash))?.revokedAt).toBe(NOW);
    expect(await node(0).machines.revokeSecretId(machine.id, expired.accessor, NOW, [])).toBe(false);
  });

  it('purges secret_ids revoked, expired or used up before `before`, in batches, none counted twice', async () => {
    const machine = await stored();
    const ended = NOW - 2 * HOUR;
    // Other cases' secret_ids ended at NOW or later: this purge, before NOW - HOUR, leaves them.
    const before = NOW - HOUR;
    const create = async (overrides: Partial<SecretIdRecord>) => {
      const s = secretId(machine.id, overrides);
      expect(await node(0).machines.createSecretId(s, [])).toBe(true);
      return s;
    };
    const revoked = await create({});
    await node(0).machines.revokeSecretId(machine.id, revoked.accessor, ended, []);
    const expired = await create({ expiresAt: ended });
    const usedUp = await create({ usesLeft: 1 });
    expect(await node(1).machines.spendSecretId(machine.id, usedUp.hash, ended)).toBeDefined();
    const gone = [revoked, expired, usedUp];

    const kept = [
      await create({}),
      await create({ expiresAt: NOW + HOUR }),
      await create({ expiresAt: NOW - HOUR / 2 }),
      await create({ usesLeft: 2 }),
      await create({ usesLeft: 1 }),
      await create({}),
    ];
    // A use left after a spend long ago; used up, and revoked, after `before`.
    await node(0).machines.spendSecretId(machine.id, kept[3]?.hash ?? '', ended);
    await node(0).machines.spendSecretId(machine.id, kept[4]?.hash ?? '', NOW - HOUR / 2);
    await node(0).machines.revokeSecretId(machine.id, kept[5]?.accessor ?? '', NOW - HOUR / 2, []);

    expect(await node(1).machines.purgeEndedSecretIds(before, 1)).toBe(1);
    const raced = await Promise.all([0, 1, 2, 3].map((i) => node(i).machines.purgeEndedSecretIds(before, 1)));
    const rest = await node(0).machines.purgeEndedSecretIds(before, 100);
    expect(1 + raced.reduce((a, b) => a + b, 0) + rest).toBe(gone.length);
    expect(await node(1).machines.purgeEndedSecretIds(before, 100)).toBe(0);
    for (const s of gone) expect(await node(1).machines.findSecretId(s.hash)).toBeUndefined();
    for (const s of kept) expect((await node(0).machines.findSecretId(s.hash))?.accessor).toBe(s.accessor);
  });

  it('stores a secret_id only while its machine exists, with its events', async () => {
    const machine = await stored();
    const created = event('machine.secret_id_created');
    expect(await node(1).machines.createSecretId(secretId(machine.id), [created])).toBe(true);
    expect(await logged(created)).toBe(1);
    const orphan = event('machine.secret_id_created');
    expect(await node(1).machines.createSecretId(secretId(randomUUID()), [orphan])).toBe(false);
    expect(await logged(orphan)).toBe(0);
  });

  it('deletes a machine with its secret_ids, policies and sessions: its tokens stop on both nodes', async () => {
    const machine = await stored({ role: 'admin' });
    await node(0).policies.create(policy(machine.id, 'gone/*'), []);
    const s = secretId(machine.id);
    await node(0).machines.createSecretId(s, []);
    const signedIn = session(machine.id);
    const t = token(signedIn.id);
    expect(await node(0).tokens.createSession(signedIn, [t])).toBe(true);
    // Read first through both nodes, so a cache holds the live row.
    for (const i of [0, 1]) {
      expect((await node(i).tokens.find(t.hash))?.principal).toEqual({
        id: machine.id,
        name: machine.name,
        role: 'admin',
      });
    }
    const deleted = event('machine.deleted');
    expect(await node(1).machines.delete(machine.id, [deleted])).toBe(true);
    expect(await logged(deleted)).toBe(1);
    for (const i of [0, 1]) expect(await node(i).tokens.find(t.hash)).toBeUndefined();
    expect(await node(0).tokens.listSessions({ kind: 'machine', id: machine.id }, NOW)).toEqual([]);
    expect(await node(0).machines.findSecretId(s.hash)).toBeUndefined();
    expect(await node(0).policies.forActor({ kind: 'machine', id: machine.id }, 'nobody')).toEqual([]);
    expect(await node(0).machines.delete(machine.id, [])).toBe(false);
    expect(await node(0).tokens.createSession(session(machine.id), [token(randomUUID())])).toBe(false);
  });

  it('shows a machine’s role change at its tokens’ next lookup, through either node', async () => {
    const machine = await stored({ role: 'admin' });
    const signedIn = session(machine.id);
    const t = token(signedIn.id);
    await node(0).tokens.createSession(signedIn, [t]);
    for (const via of [0, 1]) {
      const role = via === 0 ? 'user' : 'admin';
      expect((await node(0).tokens.find(t.hash))?.principal.role).toBe(via === 0 ? 'admin' : 'user');
      await node(via).machines.update({ ...machine, role }, machine.updatedAt, []);
      expect((await node(0).tokens.find(t.hash))?.principal.role).toBe(role);
    }
  });
});
