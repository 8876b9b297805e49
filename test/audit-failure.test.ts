import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HushError } from '../src/errors/hush-error.js';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

/**
 * A change that already happened must be answered as done even when its audit event cannot be
 * written: a reveal answered 503 after spending the last view would send the caller to retry into
 * a 404, and the secret would be lost. The failure is logged and counted instead.
 */
describe('audit write failures after a change was made', () => {
  let f: HushFixture;
  let failing = false;

  beforeAll(async () => {
    f = await makeHush();
    // The event store the audit service writes to, as a database outage would leave it.
    const events = f.hush.storage.events;
    const append = events.append.bind(events);
    Object.assign(events, {
      append: (batch: Parameters<typeof append>[0]) =>
        failing ? Promise.reject(new HushError('unavailable')) : append(batch),
    });
  });
  afterAll(() => f?.close());

  const create = async (payload: Record<string, unknown>) => {
    const res = await f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload });
    expect(res.statusCode).toBe(201);
    return json<{ secret_key: string; receipt_key: string }>(res);
  };

  it('still hands out a revealed secret, burns, and counts wrong passphrases', async () => {
    const shown = await create({ secret: 'still delivered' });
    const burned = await create({ secret: 'to burn' });
    const guarded = await create({ secret: 'guarded', passphrase: 'right one', max_views: 2 });
    failing = true;
    try {
      const reveal = await f.hush.app.inject({
        method: 'POST',
        url: `/api/v1/shares/${shown.secret_key}/reveal`,
      });
      expect(reveal.statusCode).toBe(200);
      expect(json(reveal)).toEqual({ secret: 'still delivered', views_left: 0 });

      const burn = await f.hush.app.inject({ method: 'DELETE', url: `/api/v1/shares/${burned.secret_key}` });
      expect(burn.statusCode).toBe(204);

      const wrong = await f.hush.app.inject({
        method: 'POST',
        url: `/api/v1/shares/${guarded.secret_key}/reveal`,
        payload: { passphrase: 'wrong' },
      });
      expect(wrong.statusCode).toBe(403);

      // A create has changed nothing the caller relies on yet: it may fail, and says so.
      const refused = await f.hush.app.inject({
        method: 'POST',
        url: '/api/v1/shares',
        payload: { secret: 'not now' },
      });
      expect(refused.statusCode).toBe(503);
    } finally {
      failing = false;
    }

    const failures = f.logs.filter((line) => line.includes('audit events not recorded'));
    expect(failures).toHaveLength(3);
    const metrics = await f.hush.app.inject({ method: 'GET', url: '/metrics', headers: f.adminAuth });
    expect(metrics.body).toMatch(/hush_audit_write_failures_total\{type="READ"\} 1/);
    expect(metrics.body).toMatch(/hush_audit_write_failures_total\{type="PASSPHRASE_FAILED"\} 1/);
  });
});
