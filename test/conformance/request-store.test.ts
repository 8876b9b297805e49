import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { NewRequestRecord } from '../../src/storage/request-store.js';
import { detailOf, testEvent } from '../helpers/audit-events.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const HOUR = 3_600_000;

const requestRecord = (overrides: Partial<NewRequestRecord> = {}): NewRequestRecord => ({
  id: randomUUID(),
  requestHash: randomUUID(),
  respondHash: randomUUID(),
  note: Buffer.from('sealed note'),
  owner: undefined,
  createdAt: Date.now(),
  expiresAt: Date.now() + HOUR,
  ...overrides,
});

describe.each(BACKEND_NAMES)('%s request store (two nodes)', (name) => {
  let two: TwoNodes;
  const node = (i: number) => two.nodes[(i % 2) as 0 | 1].storage;
  const event = (type: AuditEvent['type']) => testEvent(type, `request ${randomUUID()}`);
  const logged = async (e: AuditEvent) =>
    (await node(1).events.list({ type: e.type }, 0, 1000)).events.filter((x) => detailOf(x) === detailOf(e))
      .length;
  const stored = async (overrides: Partial<NewRequestRecord> = {}) => {
    const record = requestRecord(overrides);
    await node(0).requests.create(record, []);
    return record;
  };
  const answered = async (overrides: Partial<NewRequestRecord> = {}) => {
    const record = await stored(overrides);
    expect(await node(0).requests.answer(record.id, Buffer.from('sealed answer'), Date.now(), [])).toBe(true);
    return record;
  };

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('stores a request with its event; finds it open by respond hash and in any state by key', async () => {
    const owner = { kind: 'machine' as const, id: randomUUID() };
    const created = event('request.created');
    const record = requestRecord({ owner });
    await node(0).requests.create(record, [created]);
    expect(await logged(created)).toBe(1);
    const found = await node(1).requests.findOpen(record.respondHash, Date.now());
    expect(found).toEqual({
      ...record,
      answer: undefined,
      state: 'open',
      answeredAt: undefined,
      endedAt: undefined,
    });
    expect(await node(1).requests.findByKey(record.requestHash)).toEqual(found);
    expect(await node(1).requests.findOpen(record.requestHash, Date.now())).toBeUndefined();
    expect(await node(1).requests.findByKey(record.respondHash)).toBeUndefined();
    // Past its time it is not open, even before a sweep.
    expect(await node(1).requests.findOpen(record.respondHash, record.expiresAt)).toBeUndefined();
    const owners = await node(1).requests.ownersOf([record.id, randomUUID(), (await stored()).id]);
    expect([...owners]).toEqual([[record.id, owner]]);
    expect((await node(0).requests.ownersOf([])).size).toBe(0);
  });

  it('lets exactly one of 10 concurrent answers win, on two nodes, with its events only', async () => {
    const record = await stored();
    const attempts = Array.from({ length: 10 }, (_, i) => ({
      answer: Buffer.from(`answer ${i}`),
      events: [event('request.answered')],
    }));
    const now = Date.now();
    const won = await Promise.all(
      attempts.map((a, i) => node(i).requests.answer(record.id, a.answer, now, a.events)),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = attempts[won.indexOf(true)];
    const found = await node(1).requests.findByKey(record.requestHash);
    expect(found).toMatchObject({ state: 'answered', answer: winner?.answer, answeredAt: now });
    for (const [i, a] of attempts.entries())
      expect(await logged(a.events[0] as AuditEvent)).toBe(won[i] ? 1 : 0);
    // And no later answer either.
    expect(await node(0).requests.answer(record.id, Buffer.from('late'), Date.now(), [])).toBe(false);
    expect(await node(0).requests.findOpen(record.respondHash, Date.now())).toBeUndefined();
  });

  it('hands the answer to exactly one of 10 concurrent reveals and erases it in the same step', async () => {
    const record = await answered();
    const attempts = Array.from({ length: 10 }, () => [event('request.revealed')]);
    const now = Date.now();
    const got = await Promise.all(
      attempts.map((events, i) => node(i).requests.reveal(record.id, now, events)),
    );
    const winners = got.filter((g) => g !== undefined);
    expect(winners).toEqual([Buffer.from('sealed answer')]);
    expect(await node(1).requests.findByKey(record.requestHash)).toMatchObject({
      state: 'revealed',
      answer: undefined,
      endedAt: now,
    });
    for (const [i, events] of attempts.entries()) {
      expect(await logged(events[0] as AuditEvent)).toBe(got[i] === undefined ? 0 : 1);
    }
    expect(await node(0).requests.reveal(record.id, Date.now(), [])).toBeUndefined();
    expect(await node(0).requests.burn(record.id, Date.now(), [])).toBe(false);
  });

  it('an open request has nothing to reveal', async () => {
    const record = await stored();
    expect(await node(1).requests.reveal(record.id, Date.now(), [event('request.revealed')])).toBeUndefined();
    expect((await node(1).requests.findByKey(record.requestHash))?.state).toBe('open');
  });

  it('between concurrent burns and reveals exactly one wins, every round', async () => {
    for (let round = 0; round < 6; round++) {
      const record = await answered();
      const now = Date.now();
      const calls = Array.from({ length: 8 }, (_, i) =>
        i % 2 === 0
          ? node(i / 2).requests.burn(record.id, now, [event('request.burned')])
          : node(i).requests.reveal(record.id, now, [event('request.revealed')]),
      );
      const outcomes = await Promise.all(calls);
      const wins = outcomes.filter((o) => o === true || o instanceof Buffer);
      expect(wins).toHaveLength(1);
      const found = await node(0).requests.findByKey(record.requestHash);
      expect(found?.answer).toBeUndefined();
      expect(found?.state).toBe(wins[0] === true ? 'burned' : 'revealed');
    }
  });

  it('burns an open request too, and never one past its time', async () => {
    const record = await stored();
    expect(await node(1).requests.burn(record.id, Date.now(), [event('request.burned')])).toBe(true);
    expect((await node(0).requests.findByKey(record.requestHash))?.state).toBe('burned');
    const late = await answered({ expiresAt: Date.now() + 1000 });
    expect(await node(1).requests.burn(late.id, late.expiresAt, [])).toBe(false);
    expect(await node(1).requests.reveal(late.id, late.expiresAt, [])).toBeUndefined();
  });

  it('expires open and answered requests once across concurrent sweepers, erasing the answer; then purges', async () => {
    const at = Date.now() + 10 * HOUR;
    const due = [await answered({ expiresAt: at - 2 }), await stored({ expiresAt: at - 1 })];
    const live = await answered({ expiresAt: at + HOUR });
    const sweeps = Array.from({ length: 4 }, () => [] as AuditEvent[]);
    const swept = await Promise.all(
      sweeps.map((events, i) =>
        node(i).requests.expireBatch(at, 100, (ids) => {
          const made = ids.map(() => event('request.expired'));
          events.push(...made);
          return made;
        }),
      ),
    );
    const ids = swept.flat();
    for (const record of due) expect(ids.filter((id) => id === record.id)).toHaveLength(1);
    expect(ids).not.toContain(live.id);
    for (const record of due) {
      expect(await node(1).requests.findByKey(record.requestHash)).toMatchObject({
        state: 'expired',
        answer: undefined,
        endedAt: record.expiresAt,
      });
    }
    const events = sweeps.flat();
    for (const e of events) expect(await logged(e)).toBe(1);
    expect((await node(0).requests.findByKey(live.requestHash))?.state).toBe('answered');

    // Purge: ended records only, those that ended before the cut.
    let purged = 0;
    for (;;) {
      const n = await node(purged % 2).requests.purgeBatch(at, 1000);
      if (n === 0) break;
      purged += n;
    }
    expect(purged).toBeGreaterThanOrEqual(due.length);
    for (const record of due) expect(await node(1).requests.findByKey(record.requestHash)).toBeUndefined();
    expect(await node(1).requests.findByKey(live.requestHash)).toBeDefined();
  });
});
