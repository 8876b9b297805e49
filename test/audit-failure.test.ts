import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

/**
 * A change and its audit event are one atomic step, so an answer never depends on an event written
 * after the fact. If the event cannot be stored, the change is not made either: a reveal that fails
 * has not spent its view, so retrying it later still gets the secret (the reason a reveal once had
 * to succeed without its event). The same on every backend: test/conformance/change-events.test.ts.
 */
describe('a change whose audit event cannot be stored', () => {
  let f: HushFixture;
  /** Every insert into the events table fails, as a constraint would. */
  const refuseEvents = (on: boolean) => {
    const db = new Database(path.join(f.dir, 'hush.db'));
    db.exec(
      on
        ? `create trigger test_refuse_events before insert on events
             begin select raise(abort, 'injected: events refused'); end`
        : 'drop trigger test_refuse_events',
    );
    db.close();
  };

  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f?.close());

  const create = async (payload: Record<string, unknown>) => {
    const res = await f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload });
    expect(res.statusCode).toBe(201);
    return json<{ secret_key: string; receipt_key: string }>(res);
  };
  const receipt = async (key: string) =>
    json<{
      state: string;
      views_used: number;
      failed_passphrase_attempts: number;
      timeline: { type: string }[];
    }>(await f.hush.app.inject({ method: 'GET', url: `/api/v1/receipts/${key}` }));

  it('is not made: the view, the burn and the wrong passphrase are all still to come', async () => {
    const shown = await create({ secret: 'delivered later' });
    const burned = await create({ secret: 'to burn' });
    const guarded = await create({ secret: 'guarded', passphrase: 'right one', max_views: 2 });
    refuseEvents(true);
    try {
      const reveal = await f.hush.app.inject({
        method: 'POST',
        url: `/api/v1/shares/${shown.secret_key}/reveal`,
      });
      expect(reveal.statusCode).toBeGreaterThanOrEqual(500);
      expect(reveal.body).not.toContain('delivered later');

      const burn = await f.hush.app.inject({ method: 'DELETE', url: `/api/v1/shares/${burned.secret_key}` });
      expect(burn.statusCode).toBeGreaterThanOrEqual(500);

      const wrong = await f.hush.app.inject({
        method: 'POST',
        url: `/api/v1/shares/${guarded.secret_key}/reveal`,
        payload: { passphrase: 'wrong' },
      });
      expect(wrong.statusCode).toBeGreaterThanOrEqual(500);

      const refused = await f.hush.app.inject({
        method: 'POST',
        url: '/api/v1/shares',
        payload: { secret: 'x' },
      });
      expect(refused.statusCode).toBeGreaterThanOrEqual(500);
    } finally {
      refuseEvents(false);
    }

    // Nothing happened: each share is as it was, with only its created event.
    for (const share of [shown, burned, guarded]) {
      expect(await receipt(share.receipt_key)).toMatchObject({
        state: 'pending',
        views_used: 0,
        failed_passphrase_attempts: 0,
        timeline: [{ type: 'CREATE' }],
      });
    }
    // The retry gets the secret, and the change and its event are stored together now.
    const again = await f.hush.app.inject({
      method: 'POST',
      url: `/api/v1/shares/${shown.secret_key}/reveal`,
    });
    expect(json(again)).toEqual({ secret: 'delivered later', views_left: 0 });
    expect((await receipt(shown.receipt_key)).timeline.map((e) => e.type)).toEqual(['CREATE', 'READ']);
    const metrics = await f.hush.app.inject({ method: 'GET', url: '/metrics', headers: f.adminAuth });
    expect(metrics.body).toMatch(/hush_audit_events_total\{type="share.viewed"\} 1/);
  });
});
