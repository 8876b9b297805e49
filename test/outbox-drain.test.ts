import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, makeBackend } from './conformance/backend-matrix.js';
import { failSqlEvents } from './conformance/event-faults.js';
import { type HushFixture, makeHush } from './helpers/hush-fixture.js';

const CLIENT = { ip: '127.0.0.1', userAgent: 'outbox test' };

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('a serving process with share content in Redis', () => {
  let backend: Backend;
  let fixture: HushFixture;

  beforeAll(async () => {
    backend = await makeBackend('redis');
    fixture = await makeHush({ ...backend.env });
  });
  afterAll(async () => {
    await fixture?.close();
    backend?.cleanup();
  });

  it('moves events a SQL outage left in the outbox into the event log on its own', async () => {
    const { hush } = fixture;
    const undo = await failSqlEvents(backend);
    let created: { shareId: string };
    try {
      created = await hush.shares.create({ secret: 'x', maxViews: 1 }, CLIENT);
    } finally {
      await undo();
    }
    const logged = async () =>
      (await hush.storage.events.listForSubject({ kind: 'share', id: created.shareId }, 10)).length > 0;
    // The request could not move its event; nothing else has run yet.
    expect(await logged()).toBe(false);
    hush.workers.start();
    // The drain job runs every 5 s (±25%).
    expect(await until(logged, 9_000)).toBe(true);
  }, 20_000);
});
