import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../../src/settings/setting-definitions.js';
import { json } from '../helpers/hush-fixture.js';
import { nodeStorageEnv } from '../helpers/node-storage.js';
import { pathText } from './arbitraries.js';
import { itStaysHealthy } from './fixture.js';
import { fakeGithubForFuzz } from './github-fuzz.js';
import { nulCases, VALID_BODIES } from './nul-sweep.js';
import { describeOperation, REQUIRED_OPERATIONS } from './openapi-routes.js';
import { BASELINE_POLICY, useStoreHush } from './store-fixture.js';
import { FRESH_POLICY_PATH } from './store-placeholders.js';
import { storeRequest } from './store-requests.js';
import { type Seen, sendRequest } from './store-send.js';
import { checkResponse, describeSent, runs } from './support.js';

/**
 * The secret store side of hush (seed 003) under property-based fuzzing, on SQLite and on
 * PostgreSQL: every route of the OpenAPI document the share fuzz files do not cover, with random
 * paths, queries, JSON and form bodies, as the admin, a user, and callers with no, garbage,
 * revoked or wrong-kind tokens. Never a 5xx, always the error shape, never a credential echoed.
 * Settings and policies the fuzzer changes are put back after each request (store-fixture.ts).
 */

const RANDOM_RUNS = runs(500);
const SHAPED_RUNS = runs(400);
const SWEEP_RUNS = runs(4);
const GITHUB_RUNS = runs(150);
const GITHUB_FLOW_RUNS = runs(40);

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`fuzz: secret store routes on ${backend}`, () => {
    const hush = useStoreHush(() => nodeStorageEnv(backend));
    const seen: Seen = new Map();

    it('fuzzes every route the OpenAPI document lists, the seed-003 ones included', () => {
      const listed = hush.operations.map(describeOperation);
      expect(listed.length).toBeGreaterThan(0);
      expect(listed).toEqual(expect.arrayContaining(REQUIRED_OPERATIONS));
    });

    it('each route in turn: a few requests shaped by its schema', async () => {
      for (const op of hush.operations) {
        await fc.assert(
          fc.asyncProperty(storeRequest([op], true), async (request) => {
            await sendRequest(hush, request, seen);
          }),
          { numRuns: SWEEP_RUNS },
        );
      }
    }, 120_000);

    it('U+0000 in any parameter or field of a valid request is a 400 (regression: 500 on PostgreSQL)', async () => {
      const unlisted = hush.operations.filter((op) => op.body && !VALID_BODIES[describeOperation(op)]);
      expect(unlisted.map(describeOperation), 'add a valid body to VALID_BODIES (nul-sweep.ts)').toEqual([]);
      let refused = 0;
      for (const op of hush.operations) {
        for (const sweep of nulCases(op)) {
          const context = { avoid: [], caller: 'admin' as const };
          const url = await hush.resolve(sweep.url, context);
          const payload =
            sweep.payload === undefined ? undefined : await hush.resolve(sweep.payload, context);
          const res = await hush.inject({
            method: op.method as 'GET',
            url,
            headers: {
              authorization: `Bearer ${hush.tokens.admin}`,
              ...(sweep.type && { 'content-type': sweep.type }),
            },
            ...(payload !== undefined && { payload }),
          });
          checkResponse(res, { method: op.method, url });
          if (sweep.refused) {
            expect(res.statusCode, `${sweep.where}: ${res.body}`).toBe(400);
            refused++;
          }
          await hush.undo(op.method, url, res);
        }
      }
      expect(refused).toBeGreaterThan(hush.operations.length);
    }, 60_000);

    it('random requests: paths, queries, JSON and form bodies, any caller', async () => {
      await fc.assert(
        fc.asyncProperty(storeRequest(hush.operations), async (request) => {
          await sendRequest(hush, request, seen);
        }),
        { numRuns: RANDOM_RUNS },
      );
    }, 120_000);

    it('bodies shaped by each route’s schema reach the services', async () => {
      const withBodies = hush.operations.filter((op) => op.body !== undefined);
      await fc.assert(
        fc.asyncProperty(storeRequest(withBodies, true), async (request) => {
          await sendRequest(hush, request, seen);
        }),
        { numRuns: SHAPED_RUNS },
      );
    }, 120_000);

    it('every route was reached, and got past validation on most of them', () => {
      const missed = hush.operations.map(describeOperation).filter((key) => !seen.has(key));
      expect(missed).toEqual([]);
      const succeeded = [...seen].filter(([, statuses]) => [...statuses].some((s) => s < 300));
      const never = [...seen].filter(([, statuses]) => ![...statuses].some((s) => s < 300)).map(([k]) => k);
      // 42 to 45 of 65 in practice. The GitHub routes only fail here (not configured), and routes
      // behind a key the fixture cannot know (a request's, a download's, an upload's) stop at 404.
      expect(succeeded.length, `never past validation: ${never.join(', ')}`).toBeGreaterThanOrEqual(
        Math.floor((hush.operations.length * 3) / 5),
      );
    });

    it('left the fixture as it was: its tokens work, settings at their defaults, no policy added', async () => {
      for (const token of [hush.tokens.admin, hush.tokens.user]) {
        const self = await hush.inject({
          method: 'GET',
          url: '/api/v1/token/lookup-self',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(self.statusCode, self.body).toBe(200);
      }
      const admin = { authorization: `Bearer ${hush.tokens.admin}` };
      const settings = json<{ settings: { key: string; updated_at: string | null }[] }>(
        await hush.inject({ method: 'GET', url: '/api/v1/sys/settings', headers: admin }),
      ).settings;
      expect(settings.map((s) => s.key).sort()).toEqual([...SETTING_KEYS].sort());
      expect(settings.filter((s) => s.updated_at !== null)).toEqual([]);
      const policies = json<{ policies: { path: string }[] }>(
        await hush.inject({ method: 'GET', url: '/api/v1/sys/policies', headers: admin }),
      ).policies;
      // The baseline, and those made as path ids (`{policy_id}`) the fuzzer did not delete: no other.
      const others = policies.filter(
        (p) => p.path !== BASELINE_POLICY.path && !FRESH_POLICY_PATH.test(p.path),
      );
      expect(others).toEqual([]);
    });

    itStaysHealthy(hush, RANDOM_RUNS + SHAPED_RUNS);
  });
}

describe('fuzz: GitHub sign-in routes, configured against the fake GitHub', () => {
  const github = fakeGithubForFuzz();
  const hush = useStoreHush(() => github.env(), { githubFlow: (h) => github.flow(h) });
  const seen: Seen = new Map();
  beforeAll(() => github.prepare(hush));
  afterAll(() => github.close());
  const githubOps = () => hush.operations.filter((op) => op.path.startsWith('/api/v1/auth/github/'));

  it('random and shaped requests: real and forged states, codes, cookies and tokens', async () => {
    expect(githubOps().length).toBeGreaterThanOrEqual(3);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(storeRequest(githubOps()), storeRequest(githubOps(), true)),
        async (request) => {
          await sendRequest(hush, request, seen);
        },
      ),
      { numRuns: GITHUB_RUNS },
    );
    // The success path ran: an exchange answered hush tokens.
    expect(seen.get('POST /api/v1/auth/github/exchange')).toContain(200);
  }, 120_000);

  it('a real web flow signs in only as it came back from GitHub: any change to it is refused', async () => {
    const change = fc.record({
      part: fc.oneof(
        { weight: 3, arbitrary: fc.constant('none' as const) },
        { weight: 3, arbitrary: fc.constantFrom('code' as const, 'state' as const, 'cookie' as const) },
      ),
      how: fc.constantFrom('drop', 'replace'),
      text: fc.oneof(pathText, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
      error: fc.oneof(
        { weight: 4, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('access_denied', '', 'x'.repeat(300)) },
      ),
      replay: fc.boolean(),
    });
    let signedIn = 0;
    await fc.assert(
      fc.asyncProperty(change, async ({ part, how, text, error, replay }) => {
        const flow = await github.flow(hush);
        const values = { code: flow.code, state: flow.state, cookie: flow.cookie };
        if (part !== 'none')
          values[part] = how === 'drop' ? '' : part === 'cookie' ? `hush_github_state=${text}` : text;
        const query = new URLSearchParams();
        if (values.code) query.set('code', values.code);
        if (values.state) query.set('state', values.state);
        if (error !== undefined) query.set('error', error);
        const url = `/api/v1/auth/github/callback?${query}`;
        const send = () =>
          hush.inject({ method: 'GET', url, headers: values.cookie ? { cookie: values.cookie } : {} });
        const res = await send();
        const sent = { method: 'GET', url, avoid: [flow.code, flow.state, hush.githubToken] };
        checkResponse(res, sent);
        const untouched = part === 'none' || values[part] === flow[part];
        const where = describeSent(sent, res);
        if (untouched && error === undefined) {
          expect(res.statusCode, where).toBe(200);
          signedIn++;
          if (replay) {
            const again = await send();
            checkResponse(again, sent);
            expect(
              again.statusCode,
              `a replayed callback: ${describeSent(sent, again)}`,
            ).toBeGreaterThanOrEqual(400);
          }
        } else {
          expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
        }
      }),
      { numRuns: GITHUB_FLOW_RUNS },
    );
    expect(signedIn).toBeGreaterThan(0);
  }, 120_000);

  itStaysHealthy(hush, GITHUB_RUNS);
});
