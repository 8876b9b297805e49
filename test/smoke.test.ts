import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HushFixture, json, makeHush } from './helpers/hush-fixture.js';

describe('smoke', () => {
  let f: HushFixture;
  beforeAll(async () => {
    f = await makeHush();
  });
  afterAll(() => f.close());

  it('creates and reveals a share', async () => {
    const created = await f.hush.app.inject({
      method: 'POST',
      url: '/api/v1/shares',
      payload: { secret: 's3cret' },
    });
    expect(created.statusCode).toBe(201);
    const key = json<{ secret_key: string }>(created).secret_key;
    const revealed = await f.hush.app.inject({ method: 'POST', url: `/api/v1/shares/${key}/reveal` });
    expect(json(revealed)).toEqual({ secret: 's3cret', views_left: 0 });
  });
});
