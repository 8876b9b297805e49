import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, EventType } from '../../src/audit/audit-types.js';
import type { Backends } from '../../src/storage/open-storage.js';
import type { NewShareRecord } from '../../src/storage/share-store.js';
import { asStored, testEvent } from '../helpers/audit-events.js';
import { BACKEND_NAMES, type Backend, makeBackend } from './backend-matrix.js';
import { failShareEvents, failSqlEvents } from './event-faults.js';
import { newShare } from './share-records.js';

const about = (share: NewShareRecord, type: EventType) =>
  testEvent(type, type, {
    subject: { kind: 'share', id: share.id },
    actor: { kind: 'anonymous', id: undefined, name: undefined },
  });

/**
 * A change and its audit events are one atomic step on every backend: both are stored, or neither.
 * Failures are injected where each backend writes the events of a change: the SQL events table
 * (SQLite, PostgreSQL), the outbox list inside the share script (Redis).
 */
describe.each(BACKEND_NAMES)('%s: a change and its events, together', (name) => {
  let backend: Backend;
  let opened: Backends;
  const storage = () => opened.storage;
  const timeline = async (share: NewShareRecord) =>
    (await storage().events.listForSubject({ kind: 'share', id: share.id }, 100)).map((e) => e.type);

  beforeAll(async () => {
    backend = await makeBackend(name);
    opened = await backend.open();
  });
  afterAll(async () => {
    await opened?.close();
    backend?.cleanup();
  });

  it('stores each share change with its events, and only the events of what happened', async () => {
    const share = newShare({ maxViews: 1 });
    const created = about(share, 'share.created');
    await storage().shares.create(share, [created]);
    const viewed = about(share, 'share.viewed');
    expect(await storage().shares.claimView(share.id, Date.now(), [viewed])).toBeDefined();
    // Nothing left to claim: its events are not stored.
    expect(
      await storage().shares.claimView(share.id, Date.now(), [about(share, 'share.viewed')]),
    ).toBeUndefined();
    expect(await storage().events.listForSubject({ kind: 'share', id: share.id }, 10)).toEqual([
      asStored(created),
      asStored(viewed),
    ]);

    const guarded = newShare({ maxViews: 2 });
    await storage().shares.create(guarded, [about(guarded, 'share.created')]);
    const attempt = () => ({
      attempt: [about(guarded, 'share.passphrase_failed')],
      burned: [about(guarded, 'share.burned')],
    });
    expect(await storage().shares.recordFailedAttempt(guarded.id, 2, Date.now(), attempt())).toEqual({
      attempts: 1,
      burned: false,
    });
    expect(await storage().shares.recordFailedAttempt(guarded.id, 2, Date.now(), attempt())).toEqual({
      attempts: 2,
      burned: true,
    });
    expect(
      await storage().shares.burn(guarded.id, 'burned', Date.now(), [about(guarded, 'share.burned')]),
    ).toBe(false);
    expect(await timeline(guarded)).toEqual([
      'share.created',
      'share.passphrase_failed',
      'share.passphrase_failed',
      'share.burned',
    ]);

    const late = newShare({ expiresAt: Date.now() + 10 });
    await storage().shares.create(late, []);
    const expired = await storage().shares.expireBatch(Date.now() + 20, 100, (ids) =>
      ids.map((id) => testEvent('share.expired', `expired ${id}`, { subject: { kind: 'share', id } })),
    );
    expect(expired).toContain(late.id);
    expect(await timeline(late)).toEqual(['share.expired']);
  });

  it('makes no change when its events cannot be stored: the view stays there to be claimed', async () => {
    const share = newShare({ maxViews: 2 });
    await storage().shares.create(share, [about(share, 'share.created')]);
    const refused = newShare({ expiresAt: Date.now() + 10 });
    const undo = await failShareEvents(backend);
    try {
      await expect(
        storage().shares.claimView(share.id, Date.now(), [about(share, 'share.viewed')]),
      ).rejects.toThrow();
      await expect(
        storage().shares.recordFailedAttempt(share.id, 1, Date.now(), {
          attempt: [about(share, 'share.passphrase_failed')],
          burned: [about(share, 'share.burned')],
        }),
      ).rejects.toThrow();
      await expect(
        storage().shares.burn(share.id, 'burned', Date.now(), [about(share, 'share.burned')]),
      ).rejects.toThrow();
      await expect(storage().shares.create(refused, [about(refused, 'share.created')])).rejects.toThrow();
      expect(await storage().shares.findLive(refused.tokenHash, Date.now())).toBeUndefined();
    } finally {
      await undo();
    }
    // The refused share left nothing behind (with Redis: not its SQL record either), so no receipt
    // answers and its expiry is never swept: never a share.expired for a share never created.
    expect(await storage().shares.findByReceipt(refused.receiptHash)).toBeUndefined();
    const swept = await storage().shares.expireBatch(refused.expiresAt + 1, 100, (ids) =>
      ids.map((id) => testEvent('share.expired', `expired ${id}`, { subject: { kind: 'share', id } })),
    );
    expect(swept).not.toContain(refused.id);
    expect(await timeline(refused)).toEqual([]);
    // Nothing was spent, counted or burned: both views are still there.
    expect(await storage().shares.claimView(share.id, Date.now(), [])).toMatchObject({ viewsLeft: 1 });
    const live = await storage().shares.findLive(share.tokenHash, Date.now());
    expect(live).toMatchObject({ viewsUsed: 1, failedAttempts: 0 });
    expect(await timeline(share)).toEqual(['share.created']);
  });

  it('stores an account, a policy and a setting with their events, or none of them', async () => {
    const undo = await failSqlEvents(backend);
    const username = `audited-${randomUUID().slice(0, 8)}`;
    const user = {
      id: randomUUID(),
      username,
      email: undefined,
      role: 'user',
      passwordHash: '$argon2id$fake',
      createdAt: Date.now(),
    };
    const policy = {
      id: randomUUID(),
      subjectType: 'role',
      subject: 'user',
      path: 'atomic/*',
      capabilities: ['read'],
      createdAt: Date.now(),
    };
    const setting = { key: 'shares.max_views', valueJson: '3', updatedAt: Date.now(), updatedBy: 'tess' };
    const events = (type: EventType): AuditEvent[] => [testEvent(type, type)];
    const version = await storage().settings.version();
    try {
      await expect(storage().users.create(user, events('user.created'))).rejects.toThrow();
      await expect(storage().policies.create(policy, events('policy.created'))).rejects.toThrow();
      await expect(storage().settings.set(setting, version, events('setting.changed'))).rejects.toThrow();
    } finally {
      await undo();
    }
    expect(await storage().users.findByUsername(username)).toBeUndefined();
    expect((await storage().policies.list({})).map((p) => p.id)).not.toContain(policy.id);
    expect(await storage().settings.version()).toBe(version);

    expect(await storage().users.create(user, events('user.created'))).toBe(true);
    expect(await storage().policies.create(policy, events('policy.created'))).toBe(true);
    expect(await storage().settings.set(setting, version, events('setting.changed'))).toBe(version + 1);
    const stored = await storage().events.list({}, 0, 100);
    expect(stored.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['user.created', 'policy.created', 'setting.changed']),
    );
  });
});

describe('redis: the outbox', () => {
  let backend: Backend;
  let opened: Backends;

  beforeAll(async () => {
    backend = await makeBackend('redis');
    opened = await backend.open();
  });
  afterAll(async () => {
    await opened?.close();
    backend?.cleanup();
  });

  it('keeps the events of a change made in Redis while SQL refuses them, and drainOutbox moves them once', async () => {
    const { shares, events } = opened.storage;
    const share = newShare({ maxViews: 2 });
    await shares.create(share, [about(share, 'share.created')]);
    const undo = await failSqlEvents(backend);
    let claimed: unknown;
    try {
      // The script made the change and queued its event in one step: the view is spent and answered.
      claimed = await shares.claimView(share.id, Date.now(), [about(share, 'share.viewed')]);
      // A move while SQL refuses fails, and leaves the events where they are.
      await expect(events.drainOutbox(Date.now())).rejects.toThrow();
    } catch (error) {
      await undo();
      throw error;
    }
    expect(claimed).toMatchObject({ viewsLeft: 1 });
    const timeline = () => events.listForSubject({ kind: 'share', id: share.id }, 10);
    expect((await timeline()).map((e) => e.type)).toEqual(['share.created']);
    await undo();
    // Created before the cut-off: counted as left behind.
    expect(await events.drainOutbox(Date.now() + 1)).toEqual({ moved: 1, stale: 1 });
    expect(await events.drainOutbox(Date.now() + 1)).toEqual({ moved: 0, stale: 0 });
    expect((await timeline()).map((e) => e.type)).toEqual(['share.created', 'share.viewed']);
  });
});
