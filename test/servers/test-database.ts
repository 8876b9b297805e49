import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** A fresh, empty database on the run's shared PostgreSQL (see global-setup.ts); returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('postgresUrl');
  const name = `hush_t${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

/** A key prefix of its own on the run's shared Redis, so tests never see each other's keys. */
export function testRedis(): { readonly url: string; readonly keyPrefix: string } {
  return { url: inject('redisUrl'), keyPrefix: `t${randomBytes(6).toString('hex')}:` };
}
