import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { Storage } from '../storage.js';
import { openSqliteStorage } from './sqlite-storage.js';

const event = (n: number, createdAt: number): AuditEvent => ({
  id: `e${n}`,
  type: 'CREATE',
  shareId: `s${n}`,
  clientIp: '192.0.2.1',
  userAgent: 'test',
  detail: undefined,
  createdAt: new Date(createdAt),
});

describe('SQLite event store: purgeBefore', () => {
  let dir: string;
  let storage: Storage;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hush-events-'));
    storage = openSqliteStorage({ file: path.join(dir, 'hush.db') });
    await storage.migrate();
  });
  afterEach(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deletes at most `limit` events created strictly before the cut-off, oldest first', async () => {
    // Appended out of time order, so "oldest first" cannot come from insertion order.
    await storage.events.append([event(3, 3000), event(1, 1000), event(4, 4000), event(2, 2000)]);
    expect(await storage.events.purgeBefore(4000, 2)).toBe(2);
    const ids = async () => (await storage.events.list({}, 0, 10)).events.map((e) => e.id);
    expect(await ids()).toEqual(['e4', 'e3']);
    expect(await storage.events.purgeBefore(4000, 2)).toBe(1);
    expect(await storage.events.purgeBefore(4000, 2)).toBe(0);
    expect(await ids()).toEqual(['e4']);
  });
});
