import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testEvent } from '../../../test/helpers/audit-events.js';
import type { EventType } from '../../audit/audit-types.js';
import type { SqlStorage } from '../storage.js';
import { openPostgresStorage } from './postgres-storage.js';

/**
 * A database whose default collation is ICU's with punctuation ignorable (alternate = shifted), as
 * an operator may choose: `.` and `/` then weigh nothing, so `share.created` sorts after `share/`.
 */
async function createShiftedDatabase(): Promise<string> {
  const adminUrl = inject('postgresUrl');
  const name = `hush_t${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(
      `create database ${name} template template0 locale_provider icu icu_locale 'en-US-u-ka-shifted'`,
    );
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

describe('PostgreSQL event filter under a collation that ignores punctuation', () => {
  let storage: SqlStorage;

  beforeAll(async () => {
    const database = {
      url: await createShiftedDatabase(),
      poolMax: 2,
      connectTimeoutMs: 2000,
      queryTimeoutMs: 2000,
      tls: 'off' as const,
      tlsCaFile: undefined,
    };
    storage = openPostgresStorage({ database, logger: pino({ enabled: false }) });
    await storage.migrate();
  });
  afterAll(async () => {
    await storage?.close();
  });

  it('finds a type family by its characters, and an exact type', async () => {
    const types: EventType[] = ['share.created', 'share.viewed', 'secret.read', 'setting.changed'];
    await storage.events.append(types.map((type) => testEvent(type, type)));
    const listed = async (type: string) =>
      (await storage.events.list({ type }, 0, 10)).events.map((e) => e.type).sort();

    expect(await listed('share.')).toEqual(['share.created', 'share.viewed']);
    expect(await listed('s.')).toEqual([]);
    expect(await listed('secret.')).toEqual(['secret.read']);
    expect(await listed('share.viewed')).toEqual(['share.viewed']);
  });
});
