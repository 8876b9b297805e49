import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { SessionRecord, TokenRecord } from '../../src/storage/token-store.js';
import { detailOf, testEvent } from '../helpers/audit-events.js';
import { machineRecord } from '../helpers/machine-records.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const NOW = Date.now();

const session = (userId: string, principalKind: 'user' | 'machine' = 'user'): SessionRecord => ({
  id: randomUUID(),
  userId,
  principalKind,
  clientId: undefined,
  clientIp: undefined,
  accessTtlSeconds: 3600,
  createdAt: NOW,
  expiresAt: NOW + 3_600_000,
  revokedAt: undefined,
});

const token = (sessionId: string, kind: 'access' | 'refresh'): TokenRecord => ({
  id: randomUUID(),
  hash: randomUUID(),
  kind,
  sessionId,
  scope: 'secrets:read',
  boundCidrs: undefined,
  maxUses: undefined,
  uses: 0,
  createdAt: NOW,
  expiresAt: NOW + 3_600_000,
  revokedAt: undefined,
  rotatedAt: undefined,
});

const loginEvent = (detail: string): AuditEvent =>
  testEvent('auth.login', detail, { createdAt: new Date(NOW) });

describe.each(BACKEND_NAMES)('%s token store: sessions of deleted principals (two nodes)', (name) => {
  let two: TwoNodes;
  const node = (i: number) => two.nodes[(i % 2) as 0 | 1].storage;
  const account = async (username: string) => {
    const id = randomUUID();
    await node(0).users.create({
      id,
      username,
      email: undefined,
      role: 'user',
      passwordHash: 'x',
      createdAt: NOW,
    });
    return id;
  };

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('stores nothing for an account that is gone: false, no tokens, no events', async () => {
    const id = await account('gone');
    expect(await node(1).users.deleteUnlessLastAdmin('gone', [])).toBe('done');
    const s = session(id);
    const access = token(s.id, 'access');
    expect(await node(0).tokens.createSession(s, [access], [loginEvent('for gone')])).toBe(false);
    expect(await node(1).tokens.find(access.hash)).toBeUndefined();
    const events = await node(1).events.list({}, 0, 100);
    expect(events.events.map(detailOf)).not.toContain('for gone');
    expect(await node(0).tokens.createSession(session(randomUUID()), [])).toBe(false);
  });

  it('never fails when sessions are created while their account is deleted, from two nodes', async () => {
    for (let round = 0; round < 20; round++) {
      const username = `racer-${round}`;
      const id = await account(username);
      const attempts = Array.from({ length: 8 }, () => {
        const s = session(id);
        return { session: s, tokens: [token(s.id, 'access'), token(s.id, 'refresh')] };
      });
      const [deleted, ...created] = await Promise.all([
        node(round + 1).users.deleteUnlessLastAdmin(username, []),
        ...attempts.map((a, i) => node(i).tokens.createSession(a.session, a.tokens)),
      ]);
      expect(deleted).toBe('done');
      expect(created.every((c) => typeof c === 'boolean')).toBe(true);
      // Whichever won, nothing of the account is left that a lookup could find.
      for (const a of attempts) {
        for (const t of a.tokens) expect(await node(0).tokens.find(t.hash)).toBeUndefined();
      }
    }
  });

  const machine = async (id = randomUUID()) => {
    const record = machineRecord({ id });
    expect(await node(1).machines.create(record, [], [])).toBe(true);
    return record;
  };

  it('stores nothing for a machine that is gone, nor a machine session for an account', async () => {
    const gone = await machine();
    expect(await node(0).machines.delete(gone.id, [])).toBe(true);
    const s = session(gone.id, 'machine');
    const access = token(s.id, 'access');
    expect(await node(1).tokens.createSession(s, [access], [loginEvent('for a gone machine')])).toBe(false);
    expect(await node(0).tokens.find(access.hash)).toBeUndefined();
    const events = await node(1).events.list({}, 0, 100);
    expect(events.events.map(detailOf)).not.toContain('for a gone machine');
    // An account's id names no machine.
    const id = await account('not-a-machine');
    expect(await node(0).tokens.createSession(session(id, 'machine'), [])).toBe(false);
    expect(await node(0).tokens.createSession(session((await machine()).id, 'user'), [])).toBe(false);
  });

  it('never fails when sessions are created while their machine is deleted, from two nodes', async () => {
    for (let round = 0; round < 20; round++) {
      const target = await machine();
      const attempts = Array.from({ length: 8 }, () => {
        const s = session(target.id, 'machine');
        return { session: s, tokens: [token(s.id, 'access'), token(s.id, 'refresh')] };
      });
      const [deleted, ...created] = await Promise.all([
        node(round + 1).machines.delete(target.id, []),
        ...attempts.map((a, i) => node(i).tokens.createSession(a.session, a.tokens)),
      ]);
      expect(deleted).toBe(true);
      expect(created.every((c) => typeof c === 'boolean')).toBe(true);
      for (const a of attempts) {
        for (const t of a.tokens) expect(await node(0).tokens.find(t.hash)).toBeUndefined();
      }
    }
  });

  it('deletes only the sessions of the deleted principal’s kind: an account and a machine sharing an id', async () => {
    const id = await account('shares-an-id');
    await machine(id);
    const own = session(id);
    const machines = session(id, 'machine');
    const [ownToken, machineToken] = [token(own.id, 'access'), token(machines.id, 'access')];
    expect(await node(0).tokens.createSession(own, [ownToken])).toBe(true);
    expect(await node(0).tokens.createSession(machines, [machineToken])).toBe(true);
    expect(await node(1).users.deleteUnlessLastAdmin('shares-an-id', [])).toBe('done');
    expect(await node(0).tokens.find(ownToken.hash)).toBeUndefined();
    expect((await node(0).tokens.find(machineToken.hash))?.session.principalKind).toBe('machine');
    expect(await node(1).machines.delete(id, [])).toBe(true);
    expect(await node(0).tokens.find(machineToken.hash)).toBeUndefined();
  });
});
