import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { userSession } from '../helpers/hush-fixture.js';
import { headerText, pathText } from './arbitraries.js';
import { freshShare, itStaysHealthy, useFuzzHush } from './fixture.js';
import {
  checkResponse,
  describeSent,
  encodeSegment,
  injectable,
  METHODS,
  type Method,
  PATH_PREFIXES,
  runs,
} from './support.js';

/** Random paths under every route prefix with random methods, and random header sets on real routes. */

const requestIdShape = /^[A-Za-z0-9._-]{1,64}$/;

const target = fc.constantFrom(
  'events',
  'seed000-events',
  'create',
  'peek',
  'reveal',
  'receipt',
  'healthz',
  'openapi',
  'metrics',
);

/**
 * Stand-ins for the access tokens of the fixture's admin and of a user account, which exist only
 * once the app runs: the property swaps in the real token text (see `withTokens`).
 */
const ADMIN = '{admin-token}';
const USER = '{user-token}';
const BASIC_ADMIN = '{basic-admin-token}';

const ADMIN_ACCEPTED = [`Bearer ${ADMIN}`, `bearer ${ADMIN}`, `BEARER   ${ADMIN}  `];
const USER_ACCEPTED = [`Bearer ${USER}`, `bearer ${USER} `];

const authorization = fc.oneof(
  fc.constantFrom(
    '',
    'Bearer',
    'Bearer ',
    `Bearer ${ADMIN}`,
    `bearer ${ADMIN}`,
    `BEARER   ${ADMIN}  `,
    `Bearer ${ADMIN} extra`,
    `Bearer ${ADMIN}x`,
    `Bearer x${ADMIN}`,
    `Basic ${BASIC_ADMIN}`,
    `Bearer ${USER}`,
    `bearer ${USER} `,
    `Bearer ${USER}x`,
    `Bearer ${'A'.repeat(8_000)}`,
    'Bearer \u00ff\u00fe',
    'Token x',
  ),
  headerText(200),
  headerText(40).map((t) => `Bearer ${t}`),
);
const headers = fc.record(
  {
    'user-agent': fc.oneof(fc.constant(''), fc.constant('u'.repeat(20_000)), headerText(300)),
    authorization,
    'x-request-id': fc.oneof(
      fc.stringMatching(requestIdShape),
      fc.constantFrom('', ' ', 'a'.repeat(65), 'a'.repeat(5_000), '../../etc', 'id\u00ff', '{"x":1}', 'a b'),
      headerText(80),
    ),
    'x-forwarded-for': fc.oneof(
      fc.constantFrom(
        '',
        'garbage',
        ',,,',
        '::1, 999.999.999.999',
        '127.0.0.1'.repeat(500),
        'unknown, ::ffff:1.2.3.4',
      ),
      headerText(100),
    ),
    accept: fc.oneof(
      fc.constantFrom(
        '',
        '*/*',
        'text/html',
        'application/xml',
        'application/json;q=0',
        'image/*;q=x',
        '\u00ff',
      ),
      headerText(60),
    ),
    'accept-encoding': fc.constantFrom('gzip', 'br;q=2', 'identity;q=0', '*;q=0', 'x'),
    'content-type': fc.constantFrom('text/plain', 'application/json'),
  },
  { requiredKeys: [] },
);

describe('fuzz: paths and headers', () => {
  const hush = useFuzzHush();
  const tokens = { admin: '', user: '' };
  beforeAll(async () => {
    tokens.admin = hush.f.adminAuth.authorization.slice('Bearer '.length);
    tokens.user = (await userSession(hush.f, 'fuzz-user', 'user')).access_token;
  });
  const withTokens = (auth: string) =>
    auth
      .replaceAll(BASIC_ADMIN, Buffer.from(`admin:${tokens.admin}`).toString('base64'))
      .replaceAll(ADMIN, tokens.admin)
      .replaceAll(USER, tokens.user);

  it('random paths under every route prefix, with random methods', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.constantFrom(...PATH_PREFIXES),
        fc.array(pathText, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.option(fc.constantFrom('{}', '{"secret":"x"}', '[]'), { nil: undefined }),
        async (method, prefix, segments, encode, payload) => {
          const url = prefix + segments.map((s) => (encode ? encodeSegment(s) : s)).join('/');
          fc.pre(injectable(url)); // e.g. '/\\ /x' is no URL at all for inject(); the socket fuzz sends those
          const res = await hush.inject({
            method,
            url,
            ...(payload !== undefined && { payload, headers: { 'content-type': 'application/json' } }),
          });
          checkResponse(res, { method, url });
        },
      ),
      { numRuns: runs(1_000) },
    );
  }, 60_000);

  it('random header sets: user-agent, authorization, x-request-id, x-forwarded-for, accept', async () => {
    await fc.assert(
      fc.asyncProperty(target, headers, async (which, hdrs) => {
        let method: Method = 'GET';
        let url: string;
        let payload: string | undefined;
        const avoid: string[] = [tokens.admin, tokens.user];
        if (which === 'events') url = '/api/v1/events?page_size=5';
        else if (which === 'seed000-events') url = '/api/event?page_size=5';
        else if (which === 'healthz') url = '/healthz';
        else if (which === 'openapi') url = '/api/openapi.json';
        else if (which === 'metrics') url = '/metrics';
        else if (which === 'create') {
          method = 'POST';
          url = '/api/v1/shares';
          payload = '{"secret":"header fuzz"}';
        } else {
          const share = await freshShare(hush.inject);
          avoid.push(share.secret_key, share.receipt_key);
          if (which === 'peek') url = `/api/v1/shares/${share.secret_key}`;
          else if (which === 'receipt') url = `/api/v1/receipts/${share.receipt_key}`;
          else {
            method = 'POST';
            url = `/api/v1/shares/${share.secret_key}/reveal`;
          }
        }
        // A body-less POST with a content-type would only test the parser again; keep it clean.
        const sentHeaders: Record<string, string> = { ...hdrs };
        if (hdrs.authorization !== undefined) sentHeaders.authorization = withTokens(hdrs.authorization);
        if (payload === undefined) delete sentHeaders['content-type'];
        else sentHeaders['content-type'] = 'application/json';
        const res = await hush.inject({
          method,
          url,
          headers: sentHeaders,
          ...(payload !== undefined && { payload }),
        });
        checkResponse(res, { method, url, avoid });
        const where = describeSent({ method, url }, res);

        const incomingId = hdrs['x-request-id'];
        if (incomingId !== undefined && requestIdShape.test(incomingId)) {
          expect(res.headers['x-request-id'], where).toBe(incomingId);
        } else {
          expect(res.headers['x-request-id'], where).toMatch(/^[0-9a-f-]{36}$/);
        }

        if (which === 'events' || which === 'seed000-events') {
          const auth = hdrs.authorization ?? '';
          // The admin's token, however the scheme is cased or spaced: 200; a user account's: 403.
          const expected = ADMIN_ACCEPTED.includes(auth) ? 200 : USER_ACCEPTED.includes(auth) ? 403 : 401;
          expect(res.statusCode, where).toBe(expected);
        } else if (which === 'create') {
          // Anonymous unless a Bearer credential is given; then it must be a valid token.
          const auth = hdrs.authorization ?? '';
          const bearer = /^\s*Bearer(?:\s|$)/i.test(auth);
          const valid = ADMIN_ACCEPTED.includes(auth) || USER_ACCEPTED.includes(auth);
          expect(res.statusCode, where).toBe(!bearer || valid ? 201 : 401);
        } else if (which === 'peek' || which === 'receipt' || which === 'reveal' || which === 'healthz') {
          expect(res.statusCode, where).toBe(200);
        }
      }),
      { numRuns: runs(400) },
    );
  }, 60_000);

  itStaysHealthy(hush, runs(1_000));
});
