import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json } from '../helpers/hush-fixture.js';
import { anyJsonText, keyChoice, shapedBody } from './arbitraries.js';
import { itStaysHealthy, resolveKey, useFuzzHush } from './fixture.js';
import {
  BODY_ROUTES,
  type BodyRoute,
  CREATE_ROUTES,
  type CreateKind,
  checkResponse,
  createAccepts,
  describeSent,
  type InjectResponse,
  runs,
} from './support.js';

/**
 * Random JSON bodies on every body route, and the create routes against the model of the
 * documented limits: what the model accepts must be created and reveal the same text; what it
 * refuses must be a 4xx.
 */
describe('fuzz: JSON bodies and the create limits model', () => {
  const hush = useFuzzHush();

  /** How often each model check actually ran, so a property cannot pass by never checking. */
  const seen = { accepted: 0, refused: 0 };

  /** After an accepted create: the share reveals exactly the text that was sent. */
  async function roundTrip(kind: CreateKind, created: InjectResponse, parsed: Record<string, unknown>) {
    const { secret_key: key } = json<{ secret_key: string }>(created);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const passphrase = typeof parsed.passphrase === 'string' ? parsed.passphrase : undefined;
    let revealed: InjectResponse;
    if (kind === 'native') {
      const body = json<{ expires_at: string; max_views: number }>(created);
      const ttl = typeof parsed.ttl_seconds === 'number' ? parsed.ttl_seconds : 86_400;
      expect(Math.abs(Date.parse(body.expires_at) - (Date.now() + ttl * 1000))).toBeLessThan(60_000);
      expect(body.max_views).toBe(typeof parsed.max_views === 'number' ? parsed.max_views : 1);
      revealed = await hush.inject({
        method: 'POST',
        url: `/api/v1/shares/${key}/reveal`,
        payload: passphrase === undefined ? {} : { passphrase },
      });
    } else if (kind === 'seed000') {
      revealed = await hush.inject({ method: 'GET', url: `/api/secret/${key}` });
    } else {
      revealed = await hush.inject({ method: 'POST', url: `/secrets/${key}`, payload: { passphrase } });
    }
    expect(revealed.statusCode, revealed.body.slice(0, 200)).toBe(200);
    expect(json<{ secret: string }>(revealed).secret).toBe(parsed.secret);
  }

  /** Sends a body to a route and checks the invariants, and the create model where it applies. */
  async function sendBody(route: BodyRoute, keyText: string, avoid: string[], payload: string) {
    const url = route.path(keyText);
    // The model judges the bytes on the wire: a raw lone surrogate in `payload` goes out as U+FFFD.
    const bytes = Buffer.from(payload, 'utf8');
    const res = await hush.inject({
      method: route.method,
      url,
      payload: bytes,
      headers: { 'content-type': 'application/json' },
    });
    checkResponse(res, { method: route.method, url, avoid });
    if (route.create) {
      let parsed: unknown;
      let parses = true;
      try {
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        parses = false;
      }
      const where = describeSent({ method: route.method, url }, res);
      if (parses && createAccepts(route.create, parsed)) {
        seen.accepted++;
        expect(res.statusCode, `model accepts: ${where}`).toBe(201);
        await roundTrip(route.create, res, parsed as Record<string, unknown>);
      } else {
        seen.refused++;
        expect(res.statusCode, `model refuses: ${where}`).toBeGreaterThanOrEqual(400);
      }
    }
    return res;
  }

  it('random JSON bodies on every POST/DELETE route, with real, random and malformed keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BODY_ROUTES),
        keyChoice,
        fc.oneof(anyJsonText, shapedBody),
        async (route, choice, payload) => {
          const { text, avoid } = await resolveKey(hush.inject, choice, route);
          await sendBody(route, text, avoid, payload);
        },
      ),
      { numRuns: runs(600) },
    );
  }, 60_000);

  it('create routes follow the documented limits: odd numbers, unknown fields, nesting, empty secret', async () => {
    const before = { ...seen };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CREATE_ROUTES), shapedBody, async (route, payload) => {
        await sendBody(route, '', [], payload);
      }),
      { numRuns: runs(600) },
    );
    expect(seen.accepted - before.accepted).toBeGreaterThan(runs(600) / 10);
    expect(seen.refused - before.refused).toBeGreaterThan(runs(600) / 2);
  }, 60_000);

  itStaysHealthy(hush, runs(1_000));
});
