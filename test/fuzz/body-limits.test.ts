import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BODY_LIMITS, liveBodyBytes } from '../../src/http/body-limits.js';
import { json } from '../helpers/hush-fixture.js';
import { itStaysHealthy, useFuzzHush } from './fixture.js';
import { BODY_ROUTES, checkResponse, describeSent, LIMITS, runs } from './support.js';

/** Each route's body limit: 413 above it on every body route, yet room for a maximum secret below it. */
describe('fuzz: body limits', () => {
  const hush = useFuzzHush();

  it("bodies over the route's limit answer 413, whether sized up front or streamed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        fc.integer({ min: 1, max: 64 * 1024 }),
        fc.constantFrom('spaces', 'json-string'),
        fc.boolean(),
        async (route, extra, filler, streamed) => {
          const entry = BODY_LIMITS[route.route];
          if (!entry) throw new Error(`no body limit for ${route.route}`);
          const size = liveBodyBytes(entry, hush.f.hush.settings) + extra;
          const bytes =
            filler === 'spaces'
              ? Buffer.alloc(size, 0x20)
              : Buffer.concat([Buffer.from('{"secret":"'), Buffer.alloc(size, 0x61), Buffer.from('"}')]);
          const url = route.path('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
          const payload = streamed
            ? Readable.from(
                (function* () {
                  for (let i = 0; i < bytes.length; i += 64 * 1024) yield bytes.subarray(i, i + 64 * 1024);
                })(),
              )
            : bytes;
          const res = await hush.inject({
            method: route.method,
            url,
            payload,
            headers: { 'content-type': 'application/json' },
          });
          checkResponse(res, { method: route.method, url });
          expect(res.statusCode, describeSent({ method: route.method, url }, res)).toBe(413);
          expect(json(res).error).toBe('payload_too_large');
        },
      ),
      { numRuns: runs(32) },
    );
  }, 60_000);

  it('the body limit leaves room for a maximum-size secret in fully escaped JSON', async () => {
    const secret = '\u0000'.repeat(LIMITS.maxBytes);
    const payload = JSON.stringify({ secret });
    expect(payload.length).toBeGreaterThan(6 * LIMITS.maxBytes);
    const res = await hush.inject({
      method: 'POST',
      url: '/api/v1/shares',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(201);
    const key = json<{ secret_key: string }>(res).secret_key;
    const revealed = await hush.inject({ method: 'POST', url: `/api/v1/shares/${key}/reveal` });
    expect(json<{ secret: string }>(revealed).secret).toBe(secret);
  });

  itStaysHealthy(hush, runs(32));
});
