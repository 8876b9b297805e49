import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTING_DEFINITIONS, SETTING_KEYS, settingDefaults } from '../src/settings/setting-definitions.js';
import {
  ADMIN_PASSWORD,
  ADMIN_USERNAME,
  bearer,
  type HushFixture,
  json,
  login,
  makeHush,
  userSession,
} from './helpers/hush-fixture.js';

interface SettingBody {
  key: string;
  value: unknown;
  default: unknown;
  description: string;
  updated_at: string | null;
  updated_by: string | null;
}

interface EventBody {
  type: string;
  actor: { kind: string; id: string | null; name: string | null };
  subject: { kind: string; id: string } | null;
  data: Record<string, unknown>;
  client_ip: string | null;
}

const FIELDS = ['default', 'description', 'key', 'updated_at', 'updated_by', 'value'];

describe('settings API: /api/v1/sys/settings, /api/v1/sys/setting', () => {
  let f: HushFixture;
  const defaults = () => settingDefaults(f.config);
  const get = (url: string, headers: Record<string, string> = f.adminAuth) =>
    f.hush.app.inject({ method: 'GET', url, headers });
  const post = (url: string, payload?: unknown, headers: Record<string, string> = f.adminAuth) =>
    f.hush.app.inject({
      method: 'POST',
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const set = (key: string, value: unknown, headers?: Record<string, string>) =>
    post('/api/v1/sys/setting', { key, value }, headers);
  const reset = (key: string) => post(`/api/v1/sys/setting/${key}/reset`);
  const settingEvents = async () =>
    json<{ events: EventBody[] }>(await get('/api/v1/events?type=setting.changed&page_size=100')).events;

  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());

  it('is admin-only: 401 without a token, 403 for a user, and for an admin token without the admin scope', async () => {
    const user = await userSession(f, 'carol');
    const narrow = await login(f.hush.app, ADMIN_USERNAME, ADMIN_PASSWORD, { scope: 'secrets:read' });
    const calls = [
      (h: Record<string, string>) => get('/api/v1/sys/settings', h),
      (h: Record<string, string>) => get('/api/v1/sys/setting/shares.max_views', h),
      (h: Record<string, string>) => set('shares.max_views', 5, h),
      (h: Record<string, string>) => post('/api/v1/sys/setting/shares.max_views/reset', undefined, h),
    ];
    for (const call of calls) {
      expect((await call({})).statusCode).toBe(401);
      expect((await call(bearer(user.access_token))).statusCode).toBe(403);
      expect((await call(bearer(narrow.access_token))).statusCode).toBe(403);
    }
    expect(f.hush.settings.get('shares.max_views')).toBe(defaults().get('shares.max_views'));
    expect(await settingEvents()).toEqual([]);
  });

  it('lists every setting at its default, with its description and no change recorded', async () => {
    const res = await get('/api/v1/sys/settings');
    expect(res.statusCode).toBe(200);
    const { settings } = json<{ settings: SettingBody[] }>(res);
    expect(settings.map((s) => s.key)).toEqual(SETTING_KEYS);
    for (const s of settings) {
      const key = s.key as keyof typeof SETTING_DEFINITIONS;
      expect(Object.keys(s).sort()).toEqual(FIELDS);
      expect(s).toEqual({
        key,
        value: defaults().get(key),
        default: defaults().get(key),
        description: SETTING_DEFINITIONS[key].description,
        updated_at: null,
        updated_by: null,
      });
    }
  });

  it.each([
    ['an integer', 'shares.max_views', 7],
    ['a boolean', 'auth.password_login', true],
    [
      'an object',
      'github.role_mapping',
      { 'org:acme': 'user', 'team:acme/ops': 'admin', 'user:octocat': 'admin' },
    ],
  ])('sets %s, shows it everywhere, and resets it to the default', async (_kind, key, value) => {
    const before = Date.now();
    const res = await set(key, value);
    expect(res.statusCode).toBe(200);
    const body = json<SettingBody>(res);
    expect(Object.keys(body).sort()).toEqual(FIELDS);
    expect(body).toMatchObject({ key, value, updated_by: ADMIN_USERNAME });
    expect(Date.parse(body.updated_at ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(json(await get(`/api/v1/sys/setting/${key}`))).toEqual(body);
    const listed = json<{ settings: SettingBody[] }>(await get('/api/v1/sys/settings')).settings;
    expect(listed.find((s) => s.key === key)).toEqual(body);
    expect(f.hush.settings.get(key as keyof typeof SETTING_DEFINITIONS)).toEqual(value);

    const back = await reset(key);
    expect(back.statusCode).toBe(200);
    const def = defaults().get(key as keyof typeof SETTING_DEFINITIONS);
    expect(json(back)).toMatchObject({ key, value: def, default: def, updated_at: null, updated_by: null });
    expect(json(await get(`/api/v1/sys/setting/${key}`))).toEqual(json(back));
  });

  it.each([
    ['a number as text', 'shares.max_views', '5', /shares\.max_views: must be integer/],
    ['a fraction', 'shares.max_views', 1.5, /must be integer/],
    ['null', 'shares.max_bytes', null, /must be integer/],
    ['above the bound', 'shares.max_views', 101, /shares\.max_views: must be <= 100/],
    ['below the bound', 'shares.passphrase_max_attempts', 0, /must be >= 1/],
    ['a string for a boolean', 'auth.password_login', 'false', /must be boolean/],
    ['an array for an object', 'github.role_mapping', ['org:acme'], /must be object/],
    ['an unknown role', 'github.role_mapping', { 'org:acme': 'root' }, /github\.role_mapping\/org:acme/],
    ['a key of no known form', 'github.role_mapping', { acme: 'admin' }, /additional properties/],
    ['a default TTL below the minimum', 'shares.ttl_default_seconds', 0, /must be >= 1 \(1 second\)\.$/],
  ])('refuses %s with 400 invalid_setting naming the key and rule', async (_kind, key, value, message) => {
    const res = await set(key, value);
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ error: 'invalid_setting', message: expect.stringMatching(message) });
  });

  it('refuses values that break a rule between settings, checked against the current values', async () => {
    const d = defaults();
    const cases: [string, number, RegExp][] = [
      [
        'shares.ttl_min_seconds',
        d.get('shares.ttl_default_seconds') + 1,
        /ttl_min_seconds may not exceed shares\.ttl_default_seconds/,
      ],
      [
        'shares.ttl_default_seconds',
        d.get('shares.ttl_max_seconds') + 1,
        /ttl_default_seconds may not exceed shares\.ttl_max_seconds/,
      ],
      [
        'shares.ttl_max_seconds',
        d.get('shares.ttl_default_seconds') - 1,
        /ttl_default_seconds may not exceed shares\.ttl_max_seconds/,
      ],
      [
        'tokens.max_ttl_seconds',
        d.get('tokens.access_ttl_seconds') - 1,
        /access_ttl_seconds may not exceed tokens\.max_ttl_seconds/,
      ],
      [
        'tokens.refresh_ttl_seconds',
        d.get('tokens.max_ttl_seconds') + 1,
        /refresh_ttl_seconds may not exceed tokens\.max_ttl_seconds/,
      ],
    ];
    for (const [key, value, message] of cases) {
      const res = await set(key, value);
      expect(res.statusCode, key).toBe(400);
      expect(json(res)).toMatchObject({ error: 'invalid_setting', message: expect.stringMatching(message) });
    }
    const week = 7 * 86_400;
    expect((await set('tokens.max_ttl_seconds', week)).statusCode).toBe(200);
    const access = await set('tokens.access_ttl_seconds', week + 1);
    expect(json(access)).toMatchObject({
      error: 'invalid_setting',
      message: expect.stringMatching(/access_ttl/),
    });
    expect((await reset('tokens.max_ttl_seconds')).statusCode).toBe(200);
  });

  it('applies the rules to the settings as they are now: lower the default first, then the maximum', async () => {
    expect((await set('shares.ttl_default_seconds', 600)).statusCode).toBe(200);
    expect((await set('shares.ttl_max_seconds', 600)).statusCode).toBe(200);
    // Back to the default default would now exceed the lowered maximum.
    const refused = await reset('shares.ttl_default_seconds');
    expect(refused.statusCode).toBe(400);
    expect(json(refused).error).toBe('invalid_setting');
    expect((await reset('shares.ttl_max_seconds')).statusCode).toBe(200);
    expect((await reset('shares.ttl_default_seconds')).statusCode).toBe(200);
  });

  it('never echoes a large input in its message', async () => {
    const long = `org:${'a'.repeat(10_000)}`;
    const res = await set('github.role_mapping', { [long]: 'root' });
    expect(res.statusCode).toBe(400);
    expect(json<{ message: string }>(res).message.length).toBeLessThan(200);
  });

  it('answers 404 for an unknown key, and 400 for a malformed body', async () => {
    for (const res of [
      await get('/api/v1/sys/setting/shares.nope'),
      await set('shares.nope', 1),
      await reset('shares.nope'),
      await get('/api/v1/sys/setting/__proto__'),
      await set('constructor', 1),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(json(res).error).toBe('not_found');
    }
    for (const payload of [
      { key: 'shares.max_views' },
      { key: 'shares.max_views', value: 5, extra: 1 },
      {},
    ]) {
      expect((await post('/api/v1/sys/setting', payload)).statusCode).toBe(400);
    }
  });

  it('audits each change with the acting admin and the new value (truncated), and nothing else', async () => {
    const before = (await settingEvents()).length;
    await set('shares.max_views', 9);
    const mapping = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`org:team${i}`, 'user']));
    await set('github.role_mapping', mapping);
    await reset('github.role_mapping');
    await set('shares.max_views', 1000); // refused: not audited

    const events = (await settingEvents()).slice(0, -before || undefined).reverse();
    expect(events.map((e) => e.data)).toEqual([
      { key: 'shares.max_views', value: '9' },
      { key: 'github.role_mapping', value: `${JSON.stringify(mapping).slice(0, 200)}…` },
      { key: 'github.role_mapping', reset: true },
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        type: 'setting.changed',
        actor: { kind: 'user', name: ADMIN_USERNAME },
        subject: { kind: 'setting', id: event.data.key },
      });
      expect(event.client_ip).toBeTruthy();
    }
  });
});
