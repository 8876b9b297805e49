import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { SessionRecord, TokenKind, TokenRecord } from '../../src/storage/token-store.js';
import { detailOf, testEvent } from '../helpers/audit-events.js';
import { machineRecord } from '../helpers/machine-records.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const NOW = Date.now();
const HOUR = 3_600_000;

const session = (userId: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  id: randomUUID(),
  userId,
  principalKind: 'user',
  clientId: 'cli',
  clientIp: '192.0.2.1',
  accessTtlSeconds: 3600,
  createdAt: NOW,
  expiresAt: NOW + 24 * HOUR,
  revokedAt: undefined,
  ...overrides,
});

/** The owner of an account's sessions. */
const account = (id: string) => ({ kind: 'user', id }) as const;

const token = (sessionId: string, kind: TokenKind, overrides: Partial<TokenRecord> = {}): TokenRecord => ({
  id: randomUUID(),
  hash: randomUUID(),
  kind,
  sessionId,
  scope: 'secrets:read secrets:write',
  boundCidrs: undefined,
  maxUses: undefined,
  uses: 0,
  createdAt: NOW,
  expiresAt: NOW + HOUR,
  revokedAt: undefined,
  rotatedAt: undefined,
  ...overrides,
});

describe.each(BACKEND_NAMES)('%s token store (two nodes)', (name) => {
  let two: TwoNodes;
  let userId: string;
  const tokens = (i: number) => two.nodes[(i % 2) as 0 | 1].storage.tokens;

  beforeAll(async () => {
    two = await openTwoNodes(name);
    userId = randomUUID();
    await two.nodes[0].storage.users.create({
      id: userId,
      username: 'tess',
      email: undefined,
      role: 'user',
      passwordHash: 'x',
      createdAt: NOW,
      githubId: undefined,
    });
  });
  afterAll(() => two?.close());

  /** A session with an access and a refresh token, stored through node 0. */
  const start = async (access: Partial<TokenRecord> = {}, refresh: Partial<TokenRecord> = {}) => {
    const s = session(userId);
    const pair = [token(s.id, 'access', access), token(s.id, 'refresh', refresh)] as const;
    await tokens(0).createSession(s, pair);
    return { session: s, access: pair[0], refresh: pair[1] };
  };

  it('finds a token with its session and account, every field kept', async () => {
    const { session: s, access } = await start({ boundCidrs: ['10.0.0.0/8', '2001:db8::/32'], maxUses: 3 });
    const found = await tokens(1).find(access.hash);
    expect(found).toEqual({
      token: access,
      session: s,
      principal: { id: userId, name: 'tess', role: 'user' },
    });
    expect(await tokens(1).find('unknown')).toBeUndefined();
  });

  it('spends exactly max_uses of 30 concurrent uses across both nodes', async () => {
    const { access } = await start({ maxUses: 7 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => tokens(i).spendUse(access.id, NOW)),
    );
    expect(results.filter(Boolean)).toHaveLength(7);
    expect((await tokens(0).find(access.hash))?.token.uses).toBe(7);
  });

  it('spends nothing from an expired token or a revoked session', async () => {
    const expired = await start({ maxUses: 5, expiresAt: NOW - 1 });
    expect(await tokens(0).spendUse(expired.access.id, NOW)).toBe(false);
    const revoked = await start({ maxUses: 5 });
    expect(await tokens(1).revokeSession(revoked.session.id, NOW)).toBe(true);
    expect(await tokens(1).revokeSession(revoked.session.id, NOW)).toBe(false);
    expect(await tokens(0).spendUse(revoked.access.id, NOW)).toBe(false);
    expect((await tokens(0).find(revoked.access.hash))?.session.revokedAt).toBe(NOW);
  });

  it('extends a live access token with its event, and nothing else', async () => {
    const { session: s, access, refresh } = await start();
    const renewed = event('token.renewed');
    expect(await tokens(1).extendAccess(access.id, NOW + 2 * HOUR, NOW, [renewed])).toBe(true);
    expect((await tokens(0).find(access.hash))?.token.expiresAt).toBe(NOW + 2 * HOUR);
    expect(await logged(renewed)).toBe(1);
    const refused = event('token.renewed');
    expect(await tokens(0).extendAccess(refresh.id, NOW + 2 * HOUR, NOW, [refused])).toBe(false);
    expect(await tokens(0).extendAccess(access.id, NOW + 3 * HOUR, NOW + 2 * HOUR, [refused])).toBe(false);
    await tokens(1).revokeSession(s.id, NOW);
    expect(await tokens(0).extendAccess(access.id, NOW + 3 * HOUR, NOW, [refused])).toBe(false);
    expect(await tokens(0).extendAccess('unknown', NOW + 3 * HOUR, NOW, [refused])).toBe(false);
    expect(await logged(refused)).toBe(0);
    expect((await tokens(0).find(access.hash))?.token.expiresAt).toBe(NOW + 2 * HOUR);
  });

  it('rotates a refresh token once under 20 concurrent renewals; the rest revoke the session', async () => {
    const { session: s, refresh } = await start();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        tokens(i).rotateRefresh(refresh.hash, NOW + 1, [token(s.id, 'access'), token(s.id, 'refresh')]),
      ),
    );
    const kinds = outcomes.map((o) => o.outcome);
    expect(kinds.filter((k) => k === 'rotated')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'reused')).toHaveLength(19);
    expect((await tokens(0).find(refresh.hash))?.session.revokedAt).toBeDefined();
    expect((await tokens(1).listSessions(account(userId), NOW)).some((x) => x.id === s.id)).toBe(false);
  });

  it('rotates, then treats the spent token as reuse; access tokens are never rotated', async () => {
    const { session: s, access, refresh } = await start();
    const next = [token(s.id, 'access'), token(s.id, 'refresh')];
    const first = await tokens(0).rotateRefresh(refresh.hash, NOW, next);
    expect(first.outcome).toBe('rotated');
    expect((await tokens(0).find(next[0]?.hash ?? ''))?.session.id).toBe(s.id);
    const unused = [token(s.id, 'access')];
    expect((await tokens(1).rotateRefresh(access.hash, NOW, unused)).outcome).toBe('invalid');
    expect((await tokens(1).rotateRefresh(refresh.hash, NOW, unused)).outcome).toBe('reused');
    // Replacements are stored only by a rotation.
    expect(await tokens(0).find(unused[0]?.hash ?? '')).toBeUndefined();
    expect((await tokens(0).find(next[1]?.hash ?? ''))?.session.revokedAt).toBe(NOW);
    expect((await tokens(0).rotateRefresh('unknown', NOW, unused)).outcome).toBe('invalid');
    const expired = await start({}, { expiresAt: NOW - 1 });
    expect((await tokens(0).rotateRefresh(expired.refresh.hash, NOW, unused)).outcome).toBe('invalid');
  });

  it('lists live sessions newest first and purges ended ones', async () => {
    const other = randomUUID();
    await two.nodes[1].storage.users.create({
      id: other,
      username: 'uma',
      email: undefined,
      role: 'user',
      passwordHash: 'x',
      createdAt: NOW,
      githubId: undefined,
    });
    const older = session(other, { createdAt: NOW - 2 });
    const newer = session(other, { createdAt: NOW - 1 });
    const ended = session(other, { expiresAt: NOW - HOUR });
    for (const s of [older, newer, ended]) await tokens(0).createSession(s, [token(s.id, 'access')]);
    expect((await tokens(1).listSessions(account(other), NOW)).map((s) => s.id)).toEqual([
      newer.id,
      older.id,
    ]);
    const purged = await tokens(0).purgeEnded(NOW, 1000);
    expect(purged).toBeGreaterThanOrEqual(2); // the ended session and its token (and others' leftovers)
    expect(await tokens(1).listSessions(account(other), NOW + 48 * HOUR)).toEqual([]);
  });

  it('lists sessions by principal kind and id: a machine sharing an account id owns none of its', async () => {
    const shared = randomUUID();
    await two.nodes[0].storage.users.create({
      id: shared,
      username: 'mia',
      email: undefined,
      role: 'user',
      passwordHash: 'x',
      createdAt: NOW,
      githubId: undefined,
    });
    expect(await two.nodes[1].storage.machines.create(machineRecord({ id: shared }), [], [])).toBe(true);
    const mine = session(shared, { createdAt: NOW - 2 });
    const machine = session(shared, { principalKind: 'machine', createdAt: NOW - 1 });
    for (const s of [mine, machine]) await tokens(0).createSession(s, [token(s.id, 'access')]);
    expect((await tokens(1).listSessions(account(shared), NOW)).map((s) => s.id)).toEqual([mine.id]);
    expect(await tokens(1).listSessions({ kind: 'machine', id: shared }, NOW)).toEqual([machine]);
  });

  it('drops sessions and tokens with their account', async () => {
    const { access } = await start();
    await two.nodes[0].storage.users.create({
      id: randomUUID(),
      username: 'gone',
      email: undefined,
      role: 'user',
      passwordHash: 'x',
      createdAt: NOW,
      githubId: undefined,
    });
    const gone = await two.nodes[0].storage.users.findByUsername('gone');
    const s = session(gone?.id ?? '');
    const t = token(s.id, 'access');
    await tokens(0).createSession(s, [t]);
    expect(await two.nodes[1].storage.users.deleteUnlessLastAdmin('gone', [])).toBe('done');
    expect(await tokens(0).find(t.hash)).toBeUndefined();
    expect(await tokens(0).find(access.hash)).toBeDefined();
  });

  // Lookups may be cached (SQLite keeps them in memory): each case reads first, so a cache holds
  // the old row, then changes it through the same node and through the other one.
  it.each([0, 1] as const)('shows a revocation through node %i in node 0’s next lookup', async (via) => {
    const { session: s, access } = await start();
    expect((await tokens(0).find(access.hash))?.session.revokedAt).toBeUndefined();
    await tokens(via).revokeSession(s.id, NOW);
    expect((await tokens(0).find(access.hash))?.session.revokedAt).toBe(NOW);
  });

  it.each([0, 1] as const)('shows a spent use and a rotation through node %i at once', async (via) => {
    const { session: s, access, refresh } = await start({ maxUses: 2 });
    expect((await tokens(0).find(access.hash))?.token.uses).toBe(0);
    expect((await tokens(0).find(refresh.hash))?.token.rotatedAt).toBeUndefined();
    await tokens(via).spendUse(access.id, NOW);
    await tokens(via).rotateRefresh(refresh.hash, NOW, [token(s.id, 'access')]);
    expect((await tokens(0).find(access.hash))?.token.uses).toBe(1);
    expect((await tokens(0).find(refresh.hash))?.token.rotatedAt).toBe(NOW);
  });

  it.each([0, 1] as const)(
    'shows a role change and a deleted account through node %i at once',
    async (via) => {
      const id = randomUUID();
      const username = `role-${via}`;
      // Another admin, so this one may lose the role and the account (the last-admin rule).
      await two.nodes[0].storage.users.create({
        id: randomUUID(),
        username: `keeper-${via}`,
        email: undefined,
        role: 'admin',
        passwordHash: 'x',
        createdAt: NOW,
        githubId: undefined,
      });
      await two.nodes[0].storage.users.create({
        id,
        username,
        email: undefined,
        role: 'admin',
        passwordHash: 'x',
        createdAt: NOW,
        githubId: undefined,
      });
      const s = session(id);
      const t = token(s.id, 'access');
      await tokens(0).createSession(s, [t]);
      expect((await tokens(0).find(t.hash))?.principal.role).toBe('admin');
      expect(await two.nodes[via].storage.users.setRoleUnlessLastAdmin(id, 'user', [])).toBe('done');
      expect((await tokens(0).find(t.hash))?.principal.role).toBe('user');
      expect(await two.nodes[via].storage.users.deleteUnlessLastAdmin(username, [])).toBe('done');
      expect(await tokens(0).find(t.hash)).toBeUndefined();
    },
  );

  it('revokes every live GitHub session at once, on both nodes, with its event, and nothing else (no machine’s)', async () => {
    const githubUser = randomUUID();
    await two.nodes[0].storage.users.create({
      id: githubUser,
      username: 'gh.octo',
      email: undefined,
      role: 'admin',
      passwordHash: '',
      createdAt: NOW,
      githubId: '583231',
    });
    const signIn = async (overrides: Partial<SessionRecord> = {}) => {
      const s = session(githubUser, overrides);
      const t = token(s.id, 'access', { maxUses: 5 });
      await tokens(0).createSession(s, [t]);
      return t;
    };
    const live = [await signIn(), await signIn()];
    const ended = await signIn({ expiresAt: NOW - 1 });
    const password = await start();
    // A machine with the GitHub account's id: its session is no GitHub sign-in.
    await two.nodes[1].storage.machines.create(machineRecord({ id: githubUser }), [], []);
    const machine = await signIn({ principalKind: 'machine' });
    // Lookups read first, so a cache holds the live rows.
    for (const t of [...live, password.access, machine])
      expect((await tokens(0).find(t.hash))?.session.revokedAt).toBeUndefined();
    expect(await tokens(0).spendUse(live[0]?.id ?? '', NOW)).toBe(true);

    const events: AuditEvent[] = [];
    const eventsFor = (count: number) => {
      const e = testEvent('token.revoked', `${count} GitHub sessions`);
      events.push(e);
      return [e];
    };
    expect(await tokens(1).revokeGithubSessions(NOW, eventsFor)).toBe(2);
    for (const t of live) expect((await tokens(0).find(t.hash))?.session.revokedAt).toBe(NOW);
    expect((await tokens(0).find(ended.hash))?.session.revokedAt).toBeUndefined();
    expect((await tokens(0).find(password.access.hash))?.session.revokedAt).toBeUndefined();
    expect((await tokens(0).find(machine.hash))?.session.revokedAt).toBeUndefined();
    expect(await tokens(0).spendUse(live[0]?.id ?? '', NOW)).toBe(false);
    expect(events.map(detailOf)).toEqual(['2 GitHub sessions']);
    expect(await logged(events[0] as AuditEvent)).toBe(1);

    // Nothing left to revoke: no event.
    expect(await tokens(0).revokeGithubSessions(NOW, eventsFor)).toBe(0);
    expect(events).toHaveLength(1);
  });

  const event = (type: AuditEvent['type']) =>
    testEvent(type, `conformance ${randomUUID()}`, { createdAt: new Date(NOW) });
  const logged = async (e: AuditEvent) =>
    (await two.nodes[1].storage.events.list({ type: e.type }, 0, 1000)).events.filter((x) => x.id === e.id)
      .length;

  it('stores the audit events of a sign-in, a renewal, a reuse and a revocation with them, once', async () => {
    const s = session(userId);
    const pair = [token(s.id, 'access'), token(s.id, 'refresh')];
    const created = [event('auth.login'), event('token.created')];
    await tokens(0).createSession(s, pair, created);
    expect(await Promise.all(created.map(logged))).toEqual([1, 1]);

    const first = { rotated: [event('token.renewed')], reused: [event('token.reused')] };
    const next = [token(s.id, 'access'), token(s.id, 'refresh')];
    expect((await tokens(1).rotateRefresh(pair[1]?.hash ?? '', NOW, next, first)).outcome).toBe('rotated');
    expect(await Promise.all([...first.rotated, ...first.reused].map(logged))).toEqual([1, 0]);

    const again = { rotated: [event('token.renewed')], reused: [event('token.reused')] };
    expect((await tokens(0).rotateRefresh(pair[1]?.hash ?? '', NOW, [], again)).outcome).toBe('reused');
    expect(await Promise.all([...again.rotated, ...again.reused].map(logged))).toEqual([0, 1]);

    const unknown = { rotated: [event('token.renewed')], reused: [event('token.reused')] };
    expect((await tokens(0).rotateRefresh('unknown', NOW, [], unknown)).outcome).toBe('invalid');
    expect(await Promise.all([...unknown.rotated, ...unknown.reused].map(logged))).toEqual([0, 0]);

    const live = await start();
    const revoked = event('token.revoked');
    expect(await tokens(1).revokeSession(live.session.id, NOW, [revoked])).toBe(true);
    const twice = event('token.revoked');
    expect(await tokens(0).revokeSession(live.session.id, NOW, [twice])).toBe(false);
    expect([await logged(revoked), await logged(twice)]).toEqual([1, 0]);
  });
});
