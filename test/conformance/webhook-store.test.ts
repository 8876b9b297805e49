import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { WebhookDeliveryRecord, WebhookEndpointRecord } from '../../src/storage/webhook-store.js';
import { detailOf, testEvent } from '../helpers/audit-events.js';
import { BACKEND_NAMES, openTwoNodes, type TwoNodes } from './backend-matrix.js';

const NOW = Date.now();
const MINUTE = 60_000;

const endpoint = (overrides: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord => ({
  id: randomUUID(),
  owner: { kind: 'user', id: randomUUID() },
  url: 'https://hooks.example.com/hush',
  events: ['share.viewed', 'share.burned'],
  allAccounts: false,
  sealedSecret: randomBytes(61),
  createdAt: NOW,
  ...overrides,
});

const delivery = (endpointId: string, eventId: string, overrides: Partial<WebhookDeliveryRecord> = {}) =>
  ({
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    endpointId,
    eventId,
    eventSeq: 1,
    eventType: 'share.viewed',
    payload: JSON.stringify({ type: 'share.viewed', data: { share_id: eventId } }),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: NOW,
    leaseUntil: undefined,
    lastStatusCode: undefined,
    lastError: undefined,
    deliveredAt: undefined,
    createdAt: NOW,
    ...overrides,
  }) satisfies WebhookDeliveryRecord;

describe.each(BACKEND_NAMES)('%s webhook store (two nodes)', (name) => {
  let two: TwoNodes;
  const node = (i: number) => two.nodes[(i % 2) as 0 | 1].storage;
  const event = (type: AuditEvent['type']) => testEvent(type, `webhook ${randomUUID()}`);
  const logged = async (e: AuditEvent) =>
    (await node(1).events.list({ type: e.type }, 0, 1000)).events.filter((x) => detailOf(x) === detailOf(e))
      .length;
  const stored = async (overrides: Partial<WebhookEndpointRecord> = {}) => {
    const e = endpoint(overrides);
    await node(0).webhooks.createEndpoint(e, []);
    return e;
  };
  /** Moves the cursor on by `deliveries`, from wherever it is. */
  const enqueue = async (deliveries: WebhookDeliveryRecord[]) => {
    const from = await node(0).webhooks.readCursor();
    expect(await node(0).webhooks.enqueue(from, from + 1, deliveries)).toBe(true);
  };

  beforeAll(async () => {
    two = await openTwoNodes(name);
  });
  afterAll(() => two?.close());

  it('stores an endpoint with its events, lists it by owner, deletes it with its deliveries', async () => {
    const created = event('webhook.created');
    const mine = endpoint({ allAccounts: true });
    await node(0).webhooks.createEndpoint(mine, [created]);
    expect(await logged(created)).toBe(1);
    expect(await node(1).webhooks.findEndpoint(mine.id)).toEqual(mine);
    const other = await stored();
    expect((await node(1).webhooks.listEndpoints(mine.owner)).map((e) => e.id)).toEqual([mine.id]);
    const all = (await node(1).webhooks.listEndpoints(undefined)).map((e) => e.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, other.id]));

    await enqueue([delivery(mine.id, randomUUID())]);
    expect(await node(1).webhooks.countDeliveries([mine.id, other.id])).toEqual(
      new Map([
        [mine.id, { pending: 1, delivered: 0, failed: 0 }],
        [other.id, { pending: 0, delivered: 0, failed: 0 }],
      ]),
    );
    const deleted = event('webhook.deleted');
    expect(await node(1).webhooks.deleteEndpoint(mine.id, [deleted])).toBe(true);
    expect(await logged(deleted)).toBe(1);
    expect(await node(0).webhooks.findEndpoint(mine.id)).toBeUndefined();
    expect(await node(0).webhooks.listDeliveries(mine.id, 10)).toEqual([]);
    const again = event('webhook.deleted');
    expect(await node(0).webhooks.deleteEndpoint(mine.id, [again])).toBe(false);
    expect(await logged(again)).toBe(0);
  });

  it('enqueues only from the cursor it is at (compare-and-set), never for a missing endpoint', async () => {
    const target = await stored();
    const from = await node(0).webhooks.readCursor();
    const first = delivery(target.id, randomUUID());
    const gone = delivery(randomUUID(), randomUUID());
    expect(await node(0).webhooks.enqueue(from, from + 5, [first, gone])).toBe(true);
    expect(await node(1).webhooks.readCursor()).toBe(from + 5);
    const stale = delivery(target.id, randomUUID());
    expect(await node(1).webhooks.enqueue(from, from + 9, [stale])).toBe(false);
    expect(await node(1).webhooks.readCursor()).toBe(from + 5);
    expect(await node(1).webhooks.listDeliveries(target.id, 10)).toEqual([first]);
    expect(await node(1).webhooks.listDeliveries(gone.endpointId, 10)).toEqual([]);
    // The same (endpoint, event) pair again is left as it is.
    await enqueue([delivery(target.id, first.eventId, { payload: '{}' })]);
    expect(await node(0).webhooks.listDeliveries(target.id, 10)).toEqual([first]);
  });

  it('of concurrent enqueues from one cursor on two nodes, one lands: each event once per endpoint', async () => {
    const targets = [await stored(), await stored()];
    for (let round = 0; round < 5; round++) {
      const from = await node(0).webhooks.readCursor();
      const events: string[] = Array.from({ length: 4 }, () => randomUUID());
      const batches = Array.from({ length: 6 }, () =>
        targets.flatMap((t) => events.map((e) => delivery(t.id, e))),
      );
      const landed = await Promise.all(batches.map((b, i) => node(i).webhooks.enqueue(from, from + 4, b)));
      expect(landed.filter(Boolean)).toHaveLength(1);
      expect(await node(1).webhooks.readCursor()).toBe(from + 4);
      const winner = batches[landed.indexOf(true)] ?? [];
      for (const t of targets) {
        const listed = (await node(round).webhooks.listDeliveries(t.id, 1000)).filter((d) =>
          events.includes(d.eventId),
        );
        expect(listed.map((d) => d.id).sort()).toEqual(
          winner
            .filter((d) => d.endpointId === t.id)
            .map((d) => d.id)
            .sort(),
        );
      }
    }
  });

  it('hands each due delivery to one of concurrent claims on two nodes, again only once its lease ends', async () => {
    const target = await stored();
    const due = Array.from({ length: 30 }, (_, i) =>
      delivery(target.id, randomUUID(), { nextAttemptAt: NOW - i }),
    );
    const later = delivery(target.id, randomUUID(), { nextAttemptAt: NOW + 10 * MINUTE });
    await enqueue([...due, later]);
    const lease = NOW + MINUTE;
    // Rounds of 8 concurrent claims (a claim that loses a row to another gets fewer) until none is left.
    const claimed: WebhookDeliveryRecord[] = [];
    for (let round = 0; round < 20; round++) {
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) => node(i).webhooks.claimDue(NOW, lease + i, 10)),
      );
      if (claims.every((c) => c.length === 0)) break;
      claimed.push(...claims.flat().filter((d) => d.endpointId === target.id));
    }
    const ids = claimed.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(due.map((d) => d.id).sort());
    // Held: nobody claims them again before the lease ends; the one not due yet stays.
    expect(
      (await node(1).webhooks.claimDue(NOW + 1000, NOW + 2 * MINUTE, 100)).filter(
        (d) => d.endpointId === target.id,
      ),
    ).toEqual([]);

    const [sent, lost] = claimed;
    if (!sent?.leaseUntil || !lost?.leaseUntil) throw new Error('claims carry their lease');
    const outcome = {
      status: 'delivered',
      nextAttemptAt: undefined,
      statusCode: 204,
      error: undefined,
      at: NOW + 5,
    } as const;
    expect(await node(0).webhooks.recordAttempt(sent.id, sent.leaseUntil + 100, outcome)).toBe(false);
    expect(await node(0).webhooks.recordAttempt(sent.id, sent.leaseUntil, outcome)).toBe(true);
    // Once a lease ends unrecorded, another claim takes it (after a 2-node race: one of them).
    const after = lease + 100;
    const retaken = await Promise.all(
      [0, 1].map((i) => node(i).webhooks.claimDue(after, after + MINUTE + i, 100)),
    );
    const retakenIds = retaken
      .flat()
      .filter((d) => d.endpointId === target.id)
      .map((d) => d.id);
    expect(new Set(retakenIds).size).toBe(retakenIds.length);
    expect(retakenIds).toContain(lost.id);
    expect(retakenIds).not.toContain(sent.id);
    // The first sender's lease was lost: its outcome changes nothing.
    expect(await node(1).webhooks.recordAttempt(lost.id, lost.leaseUntil, outcome)).toBe(false);
    const listed = await node(1).webhooks.listDeliveries(target.id, 100);
    expect(listed.find((d) => d.id === sent.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      deliveredAt: NOW + 5,
      leaseUntil: undefined,
      nextAttemptAt: undefined,
    });
    expect(listed.find((d) => d.id === lost.id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('records a failed attempt for a retry, and purges finished and orphaned deliveries', async () => {
    const target = await stored();
    const d = delivery(target.id, randomUUID());
    await enqueue([d]);
    const [claimed] = await node(0)
      .webhooks.claimDue(NOW, NOW + MINUTE, 1000)
      .then((all) => all.filter((c) => c.id === d.id));
    if (!claimed?.leaseUntil) throw new Error('claimed');
    const retry = {
      status: 'pending',
      nextAttemptAt: NOW + 10_000,
      statusCode: 500,
      error: 'HTTP 500',
      at: NOW,
    } as const;
    expect(await node(1).webhooks.recordAttempt(d.id, claimed.leaseUntil, retry)).toBe(true);
    expect((await node(0).webhooks.listDeliveries(target.id, 10))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: NOW + 10_000,
    });
    expect((await node(0).webhooks.claimDue(NOW + 9_999, NOW + MINUTE, 1000)).map((c) => c.id)).not.toContain(
      d.id,
    );

    const old = delivery(target.id, randomUUID(), {
      status: 'failed',
      nextAttemptAt: undefined,
      createdAt: NOW - 40 * MINUTE,
    });
    const orphan = delivery(target.id, randomUUID());
    await enqueue([old, orphan]);
    expect(await node(0).webhooks.purgeDeliveries(NOW - 30 * MINUTE, 1000)).toBeGreaterThanOrEqual(1);
    expect((await node(0).webhooks.listDeliveries(target.id, 10)).map((x) => x.id).sort()).toEqual(
      [d.id, orphan.id].sort(),
    );
    await node(0).webhooks.deleteEndpoint(target.id, []);
    expect(await node(1).webhooks.purgeDeliveries(NOW - 30 * MINUTE, 1000)).toBe(0);
  });
});
