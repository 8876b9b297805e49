import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SECRET_BYTES, type SettingKey } from '../src/settings/setting-definitions.js';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

/**
 * Each runtime setting of shares and events, changed through the admin API, changes what the
 * API does: the same probe answers one way at the default and the other way after the change.
 * (Token, GitHub and secret settings are proven by their own services' tests.)
 */
interface Row {
  readonly name: string;
  /** Applied in order (a rule between settings may need one before the other). */
  readonly settings: readonly (readonly [SettingKey, unknown])[];
  readonly probe: (f: HushFixture) => Promise<unknown>;
  readonly atDefault: unknown;
  readonly changed: unknown;
}

const createShare = (f: HushFixture, payload: Record<string, unknown>) =>
  f.hush.app.inject({ method: 'POST', url: '/api/v1/shares', payload });

const status = async (f: HushFixture, payload: Record<string, unknown>) =>
  (await createShare(f, payload)).statusCode;

const eventTotal = async (f: HushFixture) =>
  json<{ total: number }>(
    await f.hush.app.inject({ method: 'GET', url: '/api/v1/events?page_size=1', headers: f.adminAuth }),
  ).total;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ROWS: readonly Row[] = [
  {
    name: 'shares.max_bytes lowered: a larger secret is 413',
    settings: [['shares.max_bytes', 10]],
    probe: (f) => status(f, { secret: 'x'.repeat(11) }),
    atDefault: 201,
    changed: 413,
  },
  {
    name: 'shares.max_bytes raised to its top: a 1 MiB secret fits the request body limit',
    settings: [['shares.max_bytes', MAX_SECRET_BYTES]],
    probe: (f) => status(f, { secret: 'x'.repeat(MAX_SECRET_BYTES) }),
    atDefault: 413,
    changed: 201,
  },
  {
    name: 'shares.max_views lowered: more views are 400',
    settings: [['shares.max_views', 3]],
    probe: async (f) => [
      await status(f, { secret: 's', max_views: 4 }),
      await status(f, { secret: 's', max_views: 3 }),
    ],
    atDefault: [201, 201],
    changed: [400, 201],
  },
  {
    name: 'shares.ttl_min_seconds raised: a shorter lifetime is 400',
    settings: [['shares.ttl_min_seconds', 120]],
    probe: (f) => status(f, { secret: 's', ttl_seconds: 119 }),
    atDefault: 201,
    changed: 400,
  },
  {
    name: 'shares.ttl_max_seconds lowered (after the default): a longer lifetime is 400',
    settings: [
      ['shares.ttl_default_seconds', 300],
      ['shares.ttl_max_seconds', 600],
    ],
    probe: (f) => status(f, { secret: 's', ttl_seconds: 601 }),
    atDefault: 201,
    changed: 400,
  },
  {
    name: 'shares.ttl_default_seconds: a share without ttl_seconds lives that long',
    settings: [['shares.ttl_default_seconds', 300]],
    probe: async (f) => {
      const created = json<{ expires_at: string }>(await createShare(f, { secret: 's' }));
      return Math.round((Date.parse(created.expires_at) - Date.now()) / 10_000) * 10;
    },
    atDefault: 86_400,
    changed: 300,
  },
  {
    name: 'shares.passphrase_max_attempts lowered: two wrong passphrases burn the share',
    settings: [['shares.passphrase_max_attempts', 2]],
    probe: async (f) => {
      const { secret_key } = json<{ secret_key: string }>(
        await createShare(f, { secret: 's', passphrase: 'right horse' }),
      );
      const reveal = (passphrase: string) =>
        f.hush.app.inject({
          method: 'POST',
          url: `/api/v1/shares/${secret_key}/reveal`,
          payload: { passphrase },
        });
      await reveal('wrong one');
      await reveal('wrong two');
      return (await reveal('right horse')).statusCode;
    },
    atDefault: 200,
    changed: 404,
  },
  {
    name: 'shares.retention_seconds 0: the sweeper purges an ended share at once (its receipt is gone)',
    settings: [['shares.retention_seconds', 0]],
    probe: async (f) => {
      const { secret_key, receipt_key } = json<{ secret_key: string; receipt_key: string }>(
        await createShare(f, { secret: 's' }),
      );
      await f.hush.app.inject({ method: 'POST', url: `/api/v1/shares/${secret_key}/reveal` });
      await sleep(5);
      await f.hush.sweeper.runOnce();
      return (await f.hush.app.inject({ method: 'GET', url: `/api/v1/receipts/${receipt_key}` })).statusCode;
    },
    atDefault: 200,
    changed: 404,
  },
  {
    name: 'events.retention_seconds 1: the sweeper purges audit events older than a second',
    settings: [['events.retention_seconds', 1]],
    probe: async (f) => {
      await createShare(f, { secret: 's' });
      await sleep(1100);
      const before = await eventTotal(f);
      await f.hush.sweeper.runOnce();
      return (await eventTotal(f)) < before;
    },
    atDefault: false,
    changed: true,
  },
];

describe('runtime settings change behaviour', () => {
  let f: HushFixture;
  let changed: SettingKey[] = [];

  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());
  afterEach(async () => {
    for (const key of changed.reverse()) {
      const res = await f.hush.app.inject({
        method: 'POST',
        url: `/api/v1/sys/setting/${key}/reset`,
        headers: f.adminAuth,
      });
      expect(res.statusCode).toBe(200);
    }
    changed = [];
  });

  it.each(ROWS)('$name', async (row) => {
    expect(await row.probe(f)).toEqual(row.atDefault);
    for (const [key, value] of row.settings) {
      const res = await f.hush.app.inject({
        method: 'POST',
        url: '/api/v1/sys/setting',
        headers: f.adminAuth,
        payload: { key, value },
      });
      expect(res.statusCode, res.body).toBe(200);
      changed.push(key);
    }
    expect(await row.probe(f)).toEqual(row.changed);
  });
});
