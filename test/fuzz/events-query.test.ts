import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { json } from '../helpers/hush-fixture.js';
import { itStaysHealthy, useFuzzHush } from './fixture.js';
import { checkResponse, describeSent, runs } from './support.js';

/** Query strings on the two event listings: only ever 200 or 400, and 200 for canonical pages. */

const queryValue = fc.oneof(
  fc.constantFrom(
    '1',
    '2',
    '20',
    '100',
    '101',
    '0',
    '-0',
    '-1',
    '1.5',
    '1.0',
    '1e2',
    '1e308',
    '1e400',
    'NaN',
    'Infinity',
    '18446744073709551616',
    '2**64',
    '0x10',
    ' 1',
    '',
    'null',
    'true',
    '[]',
    'CREATE',
    'READ',
    'create',
    'BOGUS',
    '2020-01-01T00:00:00Z',
    '2020-02-30T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '2020-01-01T00:00:00+99:99',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ maxLength: 20 }),
);
const params = fc.array(
  fc.tuple(
    fc.constantFrom('page', 'page_size', 'type', 'since', 'until', 'size', '__proto__', 'constructor'),
    queryValue,
  ),
  { maxLength: 5 },
);

describe('fuzz: events query strings', () => {
  const hush = useFuzzHush();

  it('events query strings: huge, negative, fractional and non-numeric pages, bad dates and types', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/v1/events', '/api/event'), params, async (path, pairs) => {
        const query = new URLSearchParams();
        for (const [key, value] of pairs) query.append(key, value);
        const url = `${path}?${query.toString()}`;
        const res = await hush.inject({ method: 'GET', url, headers: hush.f.adminAuth });
        checkResponse(res, { method: 'GET', url });
        const where = describeSent({ method: 'GET', url }, res);
        expect([200, 400], where).toContain(res.statusCode);
        const canonical = pairs.every(
          ([key, value]) =>
            (key === 'page' && /^[1-9][0-9]{0,5}$/.test(value) && Number(value) <= 1_000_000) ||
            (key === 'page_size' && /^[1-9][0-9]?$|^100$/.test(value)),
        );
        const unique = new Set(pairs.map(([key]) => key)).size === pairs.length;
        if (canonical && unique) expect(res.statusCode, where).toBe(200);
        if (res.statusCode === 200 && path === '/api/v1/events') {
          const body = json<{ page: number; page_size: number; events: unknown[] }>(res);
          expect(body.events.length, where).toBeLessThanOrEqual(body.page_size);
          expect(Number.isInteger(body.page) && body.page >= 1, where).toBe(true);
        }
      }),
      { numRuns: runs(500) },
    );
  }, 60_000);

  itStaysHealthy(hush, runs(400));
});
