import path from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Backend } from './backend-matrix.js';

/**
 * Makes every insert into the SQL events table fail, as a constraint would, by a trigger on the
 * backend's own database (the one the nodes use, reached over a connection of the test's own);
 * resolves to the undo. With Redis holding share content, this is the SQL behind it. Given `type`,
 * only inserts of events of that type fail (a step that stores several then fails as a whole).
 */
export async function failSqlEvents(backend: Backend, type?: string): Promise<() => Promise<void>> {
  const url = backend.env.HUSH_DATABASE_URL;
  const only = type === undefined ? '' : `new.type = '${type.replaceAll("'", "''")}'`;
  if (url === undefined) {
    const file = new Database(path.join(backend.env.HUSH_DATA_DIR ?? '', 'hush.db'));
    file.exec(`create trigger test_fail_events before insert on events ${only && `when ${only}`}
      begin select raise(abort, 'injected: events refused'); end`);
    file.close();
    return async () => {
      const again = new Database(path.join(backend.env.HUSH_DATA_DIR ?? '', 'hush.db'));
      again.exec('drop trigger test_fail_events');
      again.close();
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create or replace function test_fail_events() returns trigger language plpgsql
      as $$ begin raise exception 'injected: events refused'; end $$`);
    await client.query(`create trigger test_fail_events before insert on events
      for each row ${only && `when (${only})`} execute function test_fail_events()`);
  } finally {
    await client.end();
  }
  return async () => {
    const undo = new pg.Client({ connectionString: url });
    await undo.connect();
    try {
      await undo.query('drop trigger test_fail_events on events');
    } finally {
      await undo.end();
    }
  };
}

/**
 * Makes the Redis outbox refuse pushes (a string where the list should be, so RPUSH fails with
 * WRONGTYPE inside the share scripts); resolves to the undo.
 */
export async function failRedisOutbox(backend: Backend): Promise<() => Promise<void>> {
  const redis = new Redis(backend.env.HUSH_REDIS_URL ?? '');
  const key = `${backend.env.HUSH_REDIS_KEY_PREFIX ?? ''}events:outbox`;
  await redis.set(key, 'not a list');
  return async () => {
    await redis.del(key);
    await redis.quit();
  };
}

/** Where a backend's share changes write their events in their own atomic step. */
export const failShareEvents = (backend: Backend) =>
  backend.name === 'redis' ? failRedisOutbox(backend) : failSqlEvents(backend);
