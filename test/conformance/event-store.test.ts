import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/audit-types.js';
import type { Backends } from '../../src/storage/open-storage.js';
import { BACKEND_NAMES, type Backend, makeBackend } from './backend-matrix.js';

const event = (n: number, createdAt: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `e${n}`,
  type: 'CREATE',
  shareId: `s${n}`,
  clientIp: '192.0.2.1',
  userAgent: 'test',
  detail: undefined,
  actor: undefined,
  createdAt: new Date(createdAt),
  ...overrides,
});

describe.each(BACKEND_NAMES)('%s event store', (name) => {
  let backend: Backend;
  let opened: Backends;
  const events = () => opened.storage.events;
  const ids = async (offset = 0, limit = 100) =>
    (await events().list({}, offset, limit)).events.map((e) => e.id);

  beforeAll(async () => {
    backend = await makeBackend(name);
    opened = await backend.open();
  });
  afterAll(async () => {
    await opened?.close();
    backend?.cleanup();
  });

  it('lists newest first, pages through the filtered set, and keeps every field', async () => {
    // Two events in one millisecond keep their append order (newest = appended last).
    await events().append([
      event(1, 1000),
      event(2, 2000, {
        type: 'READ',
        detail: 'd',
        actor: 'alice',
        clientIp: undefined,
        userAgent: undefined,
      }),
      event(3, 3000, { type: 'EXPIRE', shareId: undefined }),
      event(4, 3000),
    ]);
    expect(await ids()).toEqual(['e4', 'e3', 'e2', 'e1']);
    expect(await ids(1, 2)).toEqual(['e3', 'e2']);
    expect(await ids(4, 2)).toEqual([]);

    const page = await events().list({ type: 'READ' }, 0, 10);
    expect(page).toEqual({
      total: 1,
      events: [
        event(2, 2000, {
          type: 'READ',
          detail: 'd',
          actor: 'alice',
          clientIp: undefined,
          userAgent: undefined,
        }),
      ],
    });
    const window = await events().list({ since: new Date(2000), until: new Date(3000) }, 0, 2);
    expect(window.total).toBe(3);
    expect(window.events.map((e) => e.id)).toEqual(['e4', 'e3']);
  });

  it('gives one share its timeline oldest first', async () => {
    await events().append([
      event(10, 5000, { id: 'late', shareId: 'timeline' }),
      event(11, 4000, { id: 'early', shareId: 'timeline', type: 'READ' }),
    ]);
    const timeline = await events().listForShare('timeline', 10);
    expect(timeline.map((e) => e.id)).toEqual(['early', 'late']);
    expect(await events().listForShare('timeline', 1)).toHaveLength(1);
  });

  it('purges at most `limit` events created strictly before the cut-off, oldest first', async () => {
    // Everything above lies after 5000; these four are appended out of time order.
    await events().append([event(23, 300), event(21, 100), event(24, 400), event(22, 200)]);
    expect(await events().purgeBefore(400, 2)).toBe(2);
    expect(await ids()).not.toContain('e21');
    expect(await ids()).not.toContain('e22');
    expect(await ids()).toContain('e23');
    expect(await events().purgeBefore(400, 2)).toBe(1);
    expect(await events().purgeBefore(400, 2)).toBe(0);
    expect(await ids()).toContain('e24');
  });
});
